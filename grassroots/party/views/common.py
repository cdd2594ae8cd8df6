"""What the party pages share: the capability decorators, the member-or-staff
gate of the pages members use, and the page render with the tab flags."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.accounts.permissions import capability_required, deny, user_can
from grassroots.accounts.roles import Capability

from .. import selectors

view_required = capability_required(Capability.VIEW_PARTY)
manage_required = capability_required(Capability.MANAGE_PARTY)


def member_or_view_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Party staff (VIEW_PARTY), or a staff user who is a party member."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not user_can(request.user, Capability.VIEW_PARTY) and selectors.membership_of(user=request.user) is None:
            raise deny(request, Capability.VIEW_PARTY)
        return view(request, *args, **kwargs)

    return wrapped


def page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    user = request.user
    return render(
        request,
        template,
        {
            **context,
            "perms_view": user_can(user, Capability.VIEW_PARTY),
            "perms_manage": user_can(user, Capability.MANAGE_PARTY),
        },
        status=status,
    )
