"""Entering a month's figures (one, or a whole form at once) and correcting
them after the month is locked.

A figure is entered while the month's ledger is 填报中; a reviewed month is
sent back first; a locked month takes a correction only with a reason, which
is kept in the value's history (old and new) and audited. Every change of a
value appends a ValueEvent. Nothing is written on any error."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction

from grassroots.accounts.actors import Actor
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.regions.models import Level, Node

from ..errors import IndicatorError
from ..models import Indicator, Ledger, Unit, Value, ValueEvent
from ..permissions import require_enter
from ..states import Activity, State
from .workflow import WORKFLOW

MAX_VALUE = Decimal("99999999999999")  # max_digits=18, decimal_places=4
REASON_MAX = 200


def clean_amount(raw: object, indicator: Indicator) -> Decimal:
    """A figure as typed ("56", "9.7", "1,810") for `indicator`, or a Chinese error."""
    text = str(raw).strip().replace(",", "").replace(",", "") if raw is not None else ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise IndicatorError("value_invalid", f"“{indicator.name}”的值应为数字。", field="value") from None
    if not value.is_finite():
        raise IndicatorError("value_invalid", f"“{indicator.name}”的值应为数字。", field="value")
    if abs(value) > MAX_VALUE:
        raise IndicatorError("value_too_large", f"“{indicator.name}”的值过大。", field="value")
    if value < 0 and indicator.unit != Unit.PERCENT:
        raise IndicatorError("value_negative", f"“{indicator.name}”的值不能为负数。", field="value")
    if value != value.quantize(Decimal("0.0001")):
        raise IndicatorError("value_precision", f"“{indicator.name}”最多保留 4 位小数。", field="value")
    return value


def check_node(node: Node) -> None:
    if node.level not in (Level.SUBDISTRICT, Level.VILLAGE):
        raise IndicatorError("node_level", "经济指标按街道或村(社区)填报。", field="node")


def check_month(month: datetime.date) -> None:
    if month.day != 1:
        raise IndicatorError("month_invalid", "月份应为某月的第一天。", field="month")


def values_set(
    *,
    actor: Actor,
    node: Node,
    month: datetime.date,
    values: Mapping[Indicator, Decimal],
    reason: str = "",
    source: str = "set",
) -> Ledger:
    """Set `values` (indicator → figure) in the node's month. Unchanged
    figures are left alone. In a locked month `reason` is required."""
    check_node(node)
    check_month(month)
    require_enter(actor, node)
    for indicator in values:
        if not indicator.active:
            raise IndicatorError("indicator_inactive", f"指标“{indicator.name}”已停用。", field="indicator")
    reason = reason.strip()
    if len(reason) > REASON_MAX:
        raise IndicatorError("reason_too_long", f"更正原因不能超过 {REASON_MAX} 个字。", field="reason")
    with transaction.atomic():
        ledger, _created = Ledger.objects.get_or_create(node=node, month=month)
        locked = ledger.state == State.LOCKED
        WORKFLOW.check_activity(Activity.CORRECT if locked else Activity.ENTER, ledger)
        if locked and not reason:
            raise IndicatorError("reason_required", "该月报已锁定,更正指标值须填写原因。", field="reason")
        existing = {v.indicator_id: v for v in ledger.values.filter(indicator__in=list(values))}
        changed: list[dict[str, str]] = []
        for indicator, amount in values.items():
            row = existing.get(indicator.pk)
            old = row.value if row is not None else None
            if old is not None and old == amount:
                continue
            if row is None:
                row = Value.objects.create(
                    ledger=ledger, indicator=indicator, value=amount, updated_by=user_or_none(actor)
                )
            else:
                row.value = amount
                row.updated_by = user_or_none(actor)
                row.save(update_fields=["value", "updated_by", "updated_at"])
            action = "correct" if locked else source
            ValueEvent.objects.create(
                value=row,
                action=action,
                from_state=ledger.state,
                to_state=ledger.state,
                actor=user_or_none(actor),
                text=reason if locked else "",
                data={"old": None if old is None else str(old), "new": str(amount)},
            )
            changed.append({"indicator": indicator.name, "old": "" if old is None else str(old), "new": str(amount)})
        if changed:
            if not locked:
                Ledger.objects.filter(pk=ledger.pk).update(entered_by=user_or_none(actor))
                ledger.entered_by = user_or_none(actor)
            audit_record(
                action=AuditAction.UPDATE,
                actor=user_or_none(actor),
                obj=ledger,
                detail={
                    "month": month.strftime("%Y-%m"),
                    "node": node.pk,
                    "changed": changed,
                    **({"correction": reason} if locked else {}),
                },
            )
    return ledger


def value_set(
    *, actor: Actor, node: Node, month: datetime.date, indicator: Indicator, value: object, reason: str = ""
) -> Value:
    """One figure (the API's and the history page's write)."""
    amount = clean_amount(value, indicator)
    ledger = values_set(actor=actor, node=node, month=month, values={indicator: amount}, reason=reason)
    return Value.objects.select_related("ledger__node", "indicator").get(ledger=ledger, indicator=indicator)
