"""What the livelihood pages share: the capability decorators, the list kind
and month from the URL, and the page render with the tabs' permissions."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.accounts.permissions import capability_required, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.months import parse_month

from ..models import ListKind
from ..selectors import this_month

view_required = capability_required(Capability.VIEW_CARE)
record_required = capability_required(Capability.RECORD_CARE)
manage_required = capability_required(Capability.MANAGE_CARE)


def list_kind(value: str) -> str:
    if value not in ListKind.values:
        raise Http404("没有这个名单。")
    return value


def month_of(request: HttpRequest) -> datetime.date:
    """?month=YYYY-MM, this month when absent or unreadable."""
    return parse_month(request.GET.get("month")) or this_month()


def page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    user = request.user
    return render(
        request,
        template,
        {
            **context,
            "perms_record": user_can(user, Capability.RECORD_CARE),
            "perms_manage": user_can(user, Capability.MANAGE_CARE),
            "perms_export": user_can(user, Capability.EXPORT_DATA),
        },
        status=status,
    )
