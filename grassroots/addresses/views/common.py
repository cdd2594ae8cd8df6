"""What the address pages share: the capability decorators, the villages a
user may filter by, and the badge of each state."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.accounts.permissions import capability_required, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.scoping import user_scope_path
from grassroots.regions.models import Level, Node

from ..states import State

view_required = capability_required(Capability.VIEW_ADDRESSES)
collect_required = capability_required(Capability.COLLECT_ADDRESSES)
verify_required = capability_required(Capability.VERIFY_ADDRESSES)
manage_required = capability_required(Capability.MANAGE_ADDRESSES)

BADGES = {
    State.PENDING: "text-bg-secondary",
    State.COLLECTED: "text-bg-info",
    State.VILLAGE_VERIFIED: "text-bg-primary",
    State.VERIFIED: "text-bg-success",
    State.DOUBTFUL: "text-bg-warning",
}


def badge(state: str) -> str:
    return BADGES.get(State(state), "text-bg-light")


def villages_of(user: Any) -> list[Node]:
    """The villages/communities in the user's subtree (none for a grid worker's grid)."""
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    return list(Node.objects.filter(path__startswith=prefix, level=Level.VILLAGE).order_by("path"))


def places_for_campaigns(user: Any) -> list[Node]:
    """Where the user may open a campaign: their subdistrict(s) and villages."""
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    return list(
        Node.objects.filter(path__startswith=prefix, level__in=(Level.SUBDISTRICT, Level.VILLAGE)).order_by("path")
    )


def page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    """Render an address page with what its tabs need to know about the user."""
    user = request.user
    return render(
        request,
        template,
        {
            **context,
            "perms_verify": user_can(user, Capability.VERIFY_ADDRESSES),
            "perms_manage": user_can(user, Capability.MANAGE_ADDRESSES),
        },
        status=status,
    )
