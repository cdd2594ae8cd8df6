"""What the relocation pages share: the capability decorators, the stage
badges and the masked row of a unit."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.accounts.permissions import capability_required, deny, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.masking import mask_name

from ..models import Unit
from ..services.personal_data import head_masked
from ..states import State

view_required = capability_required(Capability.VIEW_RELOCATION)


def work_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Stage pages and the handover: WORK_RELOCATION (any unit of the
    subtree) or WORK_ASSIGNED_RELOCATION (the service then allows only
    one's own units); refusals audited as the other decorators do."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (user_can(user, Capability.WORK_RELOCATION) or user_can(user, Capability.WORK_ASSIGNED_RELOCATION)):
            raise deny(request, Capability.WORK_RELOCATION)
        return view(request, *args, **kwargs)

    return wrapped


manage_required = capability_required(Capability.MANAGE_RELOCATION)

STATE_BADGES = {
    State.PENDING: "text-bg-light border",
    State.CONFIRMED: "text-bg-info",
    State.ASSESSED: "text-bg-primary",
    State.SIGNED: "text-bg-success",
    State.VACATED: "text-bg-success",
    State.DEMOLISHED: "text-bg-secondary",
    State.COMPENSATED: "text-bg-dark",
}


def unit_row(unit: Unit, *, personal: bool = False) -> dict[str, Any]:
    """A unit as lists show it: the head's name masked; the phone and ID
    number (decrypted, then masked) only where `personal` asks for them."""
    head = head_masked(unit) if personal else {"name": mask_name(unit.head_name)}
    return {"unit": unit, "badge": STATE_BADGES.get(State(unit.state), "text-bg-light"), "head": head}


def page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    user = request.user
    return render(
        request,
        template,
        {
            **context,
            "perms_work": user_can(user, Capability.WORK_RELOCATION),
            "perms_work_assigned": user_can(user, Capability.WORK_ASSIGNED_RELOCATION),
            "perms_manage": user_can(user, Capability.MANAGE_RELOCATION),
        },
        status=status,
    )
