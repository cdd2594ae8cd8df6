"""What the economy pages share: the capability decorators, the page render
with what the tabs need to know about the user, and the current year."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from grassroots.accounts.permissions import capability_required, user_can
from grassroots.accounts.roles import Capability

view_required = capability_required(Capability.VIEW_ECONOMY)
record_required = capability_required(Capability.RECORD_INCOME)
manage_required = capability_required(Capability.MANAGE_ECONOMY)


def export_required(view: Any) -> Any:
    """Exports need the ledger and the export capability both."""
    return view_required(capability_required(Capability.EXPORT_DATA)(view))


def this_year() -> int:
    return timezone.localdate().year


def page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    user = request.user
    return render(
        request,
        template,
        {
            **context,
            "perms_record": user_can(user, Capability.RECORD_INCOME),
            "perms_manage": user_can(user, Capability.MANAGE_ECONOMY),
            "perms_export": user_can(user, Capability.EXPORT_DATA),
        },
        status=status,
    )


def today() -> datetime.date:
    return timezone.localdate()
