"""`{% mediation_nav %}`: the centre's own tabs, each shown only to users who
may open it (the main navigation is the accounts app's)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from grassroots.mediation import permissions

register = template.Library()


@register.inclusion_tag("mediation/_nav.html", takes_context=True)
def mediation_nav(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    items: list[tuple[str, str, str]] = []
    if permissions.can_view(user):
        items.append(("案件", reverse("mediation:queue"), "bi-inboxes"))
        items.append(("我的案件", reverse("mediation:mine"), "bi-person-workspace"))
    if permissions.can_manage(user):
        items.append(("纠纷转介", reverse("mediation:referrals"), "bi-send"))
        items.append(("登记案件", reverse("mediation:register"), "bi-plus-circle"))
    if permissions.can_view(user):
        items.append(("1+1+N 团队", reverse("mediation:teams"), "bi-people"))
    if permissions.can_manage(user):
        items.append(("三源治理统计", reverse("mediation:stats"), "bi-bar-chart"))
    if permissions.can_consult(user):
        items.append(("我的网格", reverse("mediation:grids"), "bi-grid-3x3"))
    if permissions.can_consult(user) or permissions.can_manage(user):
        items.append(("法律咨询", reverse("mediation:consultations"), "bi-journal-text"))
    path = request.path
    root = reverse("mediation:queue")
    active = max(
        (
            url
            for _label, url, _icon in items
            if path.startswith(url) and (url != root or path == root or "/cases/" in path)
        ),
        key=len,
        default="",
    )
    return {"items": [(label, url, icon, url == active) for label, url, icon in items]}
