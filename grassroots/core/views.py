"""Public home page and health endpoints."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from grassroots.regions.models import Level, Node

FIVE_MATTERS = [
    ("说事", "线上微信群、线下入户走访,通过“五级纳言”随时反映身边事。"),
    ("议事", "村(社区)按议事规则召开协商议事会、民情恳谈日,群众当主角。"),
    ("办事", "每周选两个重点村召开党政联席会议,现场研究、现场解决。"),
    ("晒事", "涉及集体利益的理事方案和理事结果,在公告栏、LED 屏、微信群公开。"),
    ("评事", "群众代表每月无记名投票评议办事人员和办理结果。"),
]


@login_not_required
@require_GET
def public_home(request: HttpRequest) -> HttpResponse:
    subdistrict = Node.objects.filter(level=Level.SUBDISTRICT).order_by("path").first()
    villages = (
        list(Node.objects.filter(level=Level.VILLAGE, path__startswith=subdistrict.path).order_by("code", "path"))
        if subdistrict
        else []
    )
    kinds = Counter(v.get_kind_display() for v in villages if v.kind)
    return render(
        request,
        "public/home.html",
        {
            "subdistrict_name": subdistrict.label if subdistrict else "",
            "villages": villages,
            "kind_counts": "、".join(f"{k} {n} 个" for k, n in kinds.most_common()),
            "five_matters": FIVE_MATTERS,
        },
    )


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: touches nothing, the ceiling for benchmarks."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database answers and, when configured, Redis does."""
    checks: dict[str, str] = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
        ok = False
    redis_url = settings.REDIS_URL or (
        settings.CELERY_BROKER_URL if str(settings.CELERY_BROKER_URL or "").startswith("redis") else None
    )
    if redis_url:
        try:
            import redis

            redis.Redis.from_url(redis_url, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {exc.__class__.__name__}"
            ok = False
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)
