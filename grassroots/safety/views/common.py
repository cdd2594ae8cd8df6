"""What the safety pages share: the capability decorators and the page
render with what the tabs need to know about the user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.accounts.permissions import capability_required, user_can
from grassroots.accounts.roles import Capability

view_required = capability_required(Capability.VIEW_SAFETY)
inspect_required = capability_required(Capability.INSPECT_SAFETY)
manage_required = capability_required(Capability.MANAGE_SAFETY)
checklists_required = capability_required(Capability.MANAGE_CHECKLISTS)


def page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    user = request.user
    return render(
        request,
        template,
        {
            **context,
            "perms_inspect": user_can(user, Capability.INSPECT_SAFETY),
            "perms_checklists": user_can(user, Capability.MANAGE_CHECKLISTS),
        },
        status=status,
    )
