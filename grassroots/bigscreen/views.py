"""The big screen's pages (ADR 0049): the full-screen page of the officer's
own node and its JSON feed; the kiosk twin of both behind a display token
(no login, read-only, refused at the next refresh once revoked); and the
page where subdistrict staff open the screen and issue or revoke tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.regions.models import Node

from . import selectors, services
from .forms import TokenForm
from .permissions import can_manage

view_required = capability_required(Capability.VIEW_BIGSCREEN)
manage_required = capability_required(Capability.MANAGE_SCREENS)
REFRESH_MIN, REFRESH_MAX = 2, 3600


def _refresh(request: HttpRequest) -> int:
    """The refresh interval in seconds: `?refresh=` (2–3600), else the setting."""
    try:
        wanted = int(request.GET.get("refresh", ""))
    except ValueError:
        wanted = int(settings.BIGSCREEN_REFRESH_SECONDS)
    return max(REFRESH_MIN, min(REFRESH_MAX, wanted))


def _screen(request: HttpRequest, node: Node, data_url: str) -> HttpResponse:
    return render(
        request,
        "bigscreen/screen.html",
        {"node": node, "config": {"url": data_url, "refresh": _refresh(request), "title": f"{node.label}指挥中心"}},
    )


def _own_node(request: HttpRequest) -> Node:
    node = current_user(request).jurisdiction
    if node is None:
        raise Http404("您的账号没有所属辖区。")
    return node


@require_GET
@view_required
def screen(request: HttpRequest) -> HttpResponse:
    return _screen(request, _own_node(request), reverse("bigscreen:data"))


@never_cache
@require_GET
@view_required
def data(request: HttpRequest) -> JsonResponse:
    return JsonResponse(selectors.screen_figures(node=_own_node(request)), json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_GET
def kiosk(request: HttpRequest, secret: str) -> HttpResponse:
    token = services.screen_token_use(secret=secret)
    if token is None:
        raise Http404("大屏令牌无效、已过期或已停用。")
    return _screen(request, token.node, reverse("bigscreen:kiosk-data", kwargs={"secret": secret}))


@login_not_required
@never_cache
@require_GET
def kiosk_data(request: HttpRequest, secret: str) -> JsonResponse:
    token = services.screen_token_use(secret=secret)
    if token is None:
        return JsonResponse({"detail": "大屏令牌无效、已过期或已停用。"}, status=404)
    return JsonResponse(selectors.screen_figures(node=token.node), json_dumps_params={"ensure_ascii": False})


def _home_context(request: HttpRequest, form: TokenForm | None, **extra: Any) -> dict[str, Any]:
    user = current_user(request)
    manager = can_manage(user)
    return {
        "form": form or TokenForm(nodes=selectors.screen_nodes_for(user=user)),
        "manager": manager,
        "tokens": list(selectors.tokens_visible_to(user=user)[:100]) if manager else [],
        **extra,
    }


@require_http_methods(["GET", "POST"])
@view_required
def home(request: HttpRequest) -> HttpResponse:
    """Open the screen; managers also issue a token (its URL shown once, on this response only)."""
    user = current_user(request)
    if request.method != "POST":
        return render(request, "bigscreen/home.html", _home_context(request, None))
    if not can_manage(user):
        return redirect("bigscreen:home")
    form = TokenForm(request.POST, nodes=selectors.screen_nodes_for(user=user))
    if form.is_valid():
        try:
            token, secret = services.screen_token_issue(
                actor=user,
                node=form.cleaned_data["node"],
                label=form.cleaned_data["label"],
                days=form.cleaned_data["days"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            url = request.build_absolute_uri(reverse("bigscreen:kiosk", kwargs={"secret": secret}))
            context = _home_context(request, None, issued=token, issued_url=url)
            return render(request, "bigscreen/home.html", context)
    return render(request, "bigscreen/home.html", _home_context(request, form), status=400)


@require_POST
@manage_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    token = selectors.token_get_visible(user=user, pk=pk)
    try:
        services.screen_token_revoke(actor=user, token=token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已停用“{token.label}”,该屏幕下次刷新即停止显示。")
    return redirect("bigscreen:home")
