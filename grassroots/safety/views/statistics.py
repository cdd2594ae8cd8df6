"""The statistics page: inspections and hazards per village (or grid) and
per premises kind, optionally for one month, with the rectification rate and
overdue hazards — the figures a monthly report needs — and its Excel export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from grassroots.accounts.permissions import current_user
from grassroots.core.documents import excel_response
from grassroots.core.months import parse_month

from .. import selectors
from .common import page, view_required

HEADERS = [
    "范围",
    "在用场所",
    "检查次数",
    "发现隐患",
    "重大隐患",
    "已下达通知",
    "已销号",
    "移交执法",
    "逾期未整改",
    "整改率(%)",
]


def _stats(request: HttpRequest) -> selectors.Statistics:
    return selectors.safety_statistics(
        user=current_user(request), month=parse_month(request.GET.get("month")), today=timezone.localdate()
    )


@require_GET
@view_required
def statistics(request: HttpRequest) -> HttpResponse:
    stats = _stats(request)
    return page(
        request,
        "safety/statistics.html",
        {"stats": stats, "month": request.GET.get("month", "") if stats.month else "", "tab": "statistics"},
    )


@require_GET
@view_required
def statistics_export(request: HttpRequest) -> HttpResponse:
    stats = _stats(request)
    rows = [
        [
            r.label,
            r.premises,
            r.inspections,
            r.hazards,
            r.major,
            r.noticed,
            r.closed,
            r.referred,
            r.overdue,
            r.rate,
        ]
        for r in [*stats.places, stats.total, *stats.kinds]
    ]
    suffix = stats.month.strftime("%Y-%m") if stats.month else "全部"
    return excel_response(
        filename=f"安全检查统计-{suffix}.xlsx",
        sheet_title="安全检查统计",
        headers=HEADERS,
        rows=rows,
        user=request.user,
        request=request,
        object_type="safety.statistics",
        detail={"month": suffix},
    )
