"""The public home page: the subdistrict, its villages and the five matters.
It reads the jurisdiction tree, so it lives above the apps, not in core."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
