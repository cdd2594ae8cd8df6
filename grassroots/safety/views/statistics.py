"""The statistics page: inspections and hazards per village (or grid) and
per premises kind, optionally for one month, with the rectification rate and
overdue hazards — the figures a monthly report needs — and its Excel export."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from grassroots.accounts.permissions import current_user
from grassroots.core.documents import excel_response

from .. import selectors
from ..forms.statistics import StatisticsFilterForm
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


def _filtered(request: HttpRequest) -> tuple[StatisticsFilterForm, selectors.Statistics]:
    """The filters (a bad one is shown with its message and ignored) and the figures."""
    user = current_user(request)
    form = StatisticsFilterForm(request.GET, places=selectors.places_of(user=user))
    form.is_valid()
    stats = selectors.safety_statistics(
        user=user,
        month=form.cleaned_data.get("month"),
        node=form.cleaned_data.get("node"),
        today=timezone.localdate(),
    )
    return form, stats


def _stats(request: HttpRequest) -> selectors.Statistics:
    return _filtered(request)[1]


def chart_data(stats: selectors.Statistics) -> dict[str, Any]:
    """What safety/statistics.js draws: the monthly trend, hazards by premises
    kind and level, and the rectification rate per place."""
    return {
        "months": [row.month.strftime("%Y-%m") for row in stats.trend],
        "inspections": [row.inspections for row in stats.trend],
        "hazards": [row.hazards for row in stats.trend],
        "closed": [row.closed for row in stats.trend],
        "kinds": {
            "labels": [row.label for row in stats.kinds],
            "general": [row.general for row in stats.kinds],
            "major": [row.major for row in stats.kinds],
        },
        "places": {
            "labels": [row.label for row in stats.places],
            "rate": [row.rate for row in stats.places],
            "noticed": [row.noticed for row in stats.places],
            "closed": [row.closed for row in stats.places],
        },
    }


@require_GET
@view_required
def statistics(request: HttpRequest) -> HttpResponse:
    form, stats = _filtered(request)
    query = urlencode(
        {
            "month": stats.month.strftime("%Y-%m") if stats.month else "",
            "node": stats.node.pk if stats.node is not None else "",
        }
    )
    return page(
        request,
        "safety/statistics.html",
        {"stats": stats, "form": form, "query": query, "chart": chart_data(stats), "tab": "statistics"},
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
    if stats.node is not None:
        suffix = f"{stats.node.label}-{suffix}"
    return excel_response(
        filename=f"安全检查统计-{suffix}.xlsx",
        sheet_title="安全检查统计",
        headers=HEADERS,
        rows=rows,
        user=request.user,
        request=request,
        object_type="safety.statistics",
        detail={"month": suffix, "node": stats.node.pk if stats.node is not None else None},
    )
