"""The month's table (indicator, figure as reported, the month's figure,
year-to-date, year-on-year, month-on-month: all computed by the selector),
the ledger's review, return and lock (each its own POST), a value's history,
an indicator's 12-month trend chart, and the Excel export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import current_user
from grassroots.core.documents import excel_response
from grassroots.core.errors import DomainError

from .. import computations as calc
from .. import selectors
from ..models import Indicator, Ledger, Value
from ..permissions import can_act, can_enter
from ..services import transfer
from ..services.workflow import ledger_transition
from ..states import Action, State
from .common import place_of, review_required, table_url, view_required

STATE_BADGES = {State.DRAFT: "text-bg-warning", State.REVIEWED: "text-bg-info", State.LOCKED: "text-bg-success"}


@require_GET
@view_required
def table(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    place = place_of(request, user)
    rows = selectors.indicator_table(node=place.node, month=place.month) if place.node else []
    rollup = selectors.village_rollup(node=place.node, month=place.month) if place.node else {}
    ledger = selectors.ledger_find(node=place.node, month=place.month) if place.node else None
    state = str(ledger.state) if ledger else State.DRAFT
    return render(
        request,
        "indicators/table.html",
        {
            "place": place,
            "rows": [(row, rollup.get(row.indicator.pk)) for row in rows],
            "rollup": bool(rollup),
            "ledger": ledger,
            "state_label": State(state).label,
            "state_badge": STATE_BADGES[State(state)],
            "can_enter": can_enter(user) and state in (State.DRAFT, State.LOCKED),
            "can_review": ledger is not None and state == State.DRAFT and can_act(user, Action.REVIEW),
            "can_return": ledger is not None and state == State.REVIEWED and can_act(user, Action.RETURN),
            "can_lock": ledger is not None and state == State.REVIEWED and can_act(user, Action.LOCK),
            "month_text": place.month.strftime("%Y-%m"),
        },
    )


def _transition(request: HttpRequest, pk: int, action: str, done: str) -> HttpResponse:
    user = current_user(request)
    ledger: Ledger = selectors.ledger_get_visible(user=user, pk=pk)
    try:
        ledger_transition(actor=user, ledger=ledger, action=action)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect(table_url(ledger.node, ledger.month))


@require_POST
@review_required
def ledger_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, Action.REVIEW, "月报已审核。")


@require_POST
@review_required
def ledger_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, Action.RETURN, "月报已退回填报。")


@require_POST
@review_required
def ledger_lock(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, Action.LOCK, "月报已锁定。")


EVENT_LABELS = {"set": "填报", "import": "Excel 导入", "correct": "锁定后更正"}


@require_GET
@view_required
def value_history(request: HttpRequest, pk: int) -> HttpResponse:
    value: Value = selectors.value_get_visible(user=current_user(request), pk=pk)
    events = [
        {
            "event": e,
            "label": EVENT_LABELS.get(e.action, e.action),
            "old": (e.data or {}).get("old") or calc.DASH,
            "new": (e.data or {}).get("new") or calc.DASH,
        }
        for e in selectors.value_events(value=value)
    ]
    return render(
        request,
        "indicators/history.html",
        {"value": value, "events": events, "back": table_url(value.ledger.node, value.ledger.month)},
    )


@require_GET
@view_required
def trend(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    indicator = get_object_or_404(Indicator, pk=pk)  # definitions are not tree-scoped
    place = place_of(request, user)
    points = selectors.indicator_trend(node=place.node, indicator=indicator, month=place.month) if place.node else []
    chart: dict[str, Any] = {
        "name": indicator.name,
        "unit": indicator.get_unit_display(),
        "months": [p["month"].strftime("%Y-%m") for p in points],
        "monthly": [None if p["monthly"] is None else float(p["monthly"]) for p in points],
        "cumulative": [None if p["cumulative"] is None else float(p["cumulative"]) for p in points],
        "yoy": [None if p["yoy"] is None else float(p["yoy"]) for p in points],
    }
    rows = [
        {
            "month": p["month"],
            "monthly": calc.show_amount(p["monthly"]),
            "cumulative": calc.show_amount(p["cumulative"]),
            "yoy": calc.show_percent(p["yoy"]),
            "mom": calc.show_percent(p["mom"]),
        }
        for p in points
    ]
    return render(
        request,
        "indicators/trend.html",
        {
            "indicator": indicator,
            "place": place,
            "chart": chart,
            "rows": rows,
            "back": table_url(place.node, place.month),
        },
    )


@require_GET
@view_required
def export(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    place = place_of(request, user)
    rows = (
        selectors.values_visible_to(user=user)
        .filter(ledger__node=place.node, ledger__month=place.month)
        .select_related("ledger__node", "indicator")
        .order_by("indicator__order", "indicator_id")
    )
    return excel_response(
        filename=f"经济指标{place.month:%Y-%m}.xlsx",
        sheet_title="经济指标",
        headers=transfer.HEADERS,
        rows=transfer.export_rows(rows),
        user=user,
        object_type=Value._meta.label,
    )
