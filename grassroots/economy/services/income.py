"""Writes of the villages' collective income: a month's entry by source
(and project), and the projected income of a village for a year."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import require_in_scope
from grassroots.regions.models import Level, Node

from ..errors import EconomyError
from ..models import IncomeEntry, IncomeTarget, Source
from .allocation import FEN

MAX_AMOUNT = Decimal("999999999999.99")


def _village(actor: Actor, village: Node) -> None:
    require_in_scope(actor, village)
    if village.level != Level.VILLAGE:
        raise EconomyError("not_village", "收入应登记到村/社区。", field="village")


def _amount(amount: Decimal, field: str = "amount") -> Decimal:
    if amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(FEN):
        raise EconomyError("amount_invalid", "金额应为不小于零、精确到分的数。", field=field)
    return amount


def income_record(
    *,
    actor: Actor,
    village: Node,
    month: datetime.date,
    source: str,
    amount: Decimal,
    project: str = "",
    note: str = "",
) -> IncomeEntry:
    """Record one month's income of a village from a source (one entry per
    village, month, source and project: a second is refused, not added up)."""
    require_capability(actor, Capability.RECORD_INCOME, "您的角色不能登记集体收入。")
    _village(actor, village)
    if source not in Source.values:
        raise EconomyError("source_invalid", "请选择有效的收入来源。", field="source")
    _amount(amount)
    month = month.replace(day=1)
    project = project.strip()
    with transaction.atomic():
        if IncomeEntry.objects.filter(village=village, month=month, source=source, project=project).exists():
            raise EconomyError(
                "income_exists",
                f"{village.label}{month:%Y年%m月}的“{Source(source).label}”收入已登记,请勿重复。",
                field="month",
            )
        entry = IncomeEntry.objects.create(
            village=village,
            month=month,
            source=source,
            amount=amount,
            project=project,
            note=note.strip(),
            created_by=user_or_none(actor),
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=user_or_none(actor),
            obj=entry,
            detail={"village": village.pk, "month": f"{month:%Y-%m}", "source": source, "amount": str(amount)},
        )
    return entry


def target_set(*, actor: Actor, village: Node, year: int, amount: Decimal) -> IncomeTarget:
    """Set (or correct) a village's projected income for a year."""
    require_capability(actor, Capability.MANAGE_ECONOMY, "只有街道经管站可以设定预计收入。")
    _village(actor, village)
    _amount(amount)
    with transaction.atomic():
        target, _created = IncomeTarget.objects.update_or_create(
            village=village, year=year, defaults={"amount": amount}
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=user_or_none(actor),
            obj=target,
            detail={"village": village.pk, "year": year, "amount": str(amount)},
        )
    return target
