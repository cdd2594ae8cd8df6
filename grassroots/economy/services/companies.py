"""Writes of the organisations of 跨村联建: a platform company (under a
联村党委, which is party's organisation, created in party's pages: ADR 0045),
and a change of its shares. A change closes
the rows in force on its effective date and opens the new set, so the
history stays readable; every set is checked to sum to exactly 100%."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import require_in_scope
from grassroots.party.models import Branch, BranchKind
from grassroots.regions.models import Level, Node

from ..errors import EconomyError
from ..models import Company, Shareholding
from .allocation import FEN, HUNDRED

SHARE_STEP = Decimal("0.0001")
DENIED = "只有街道经管站可以维护平台公司和股权。"


@dataclass(frozen=True)
class Holding:
    village: Node
    contribution: Decimal
    share: Decimal


def _villages_under(node: Node, villages: list[Node], field: str) -> None:
    if not villages:
        raise EconomyError("villages_required", "请至少选择一个村/社区。", field=field)
    if len({v.pk for v in villages}) != len(villages):
        raise EconomyError("village_twice", "同一个村/社区只能出现一次。", field=field)
    for village in villages:
        if village.level != Level.VILLAGE or not village.path.startswith(node.path):
            raise EconomyError("village_outside", f"“{village.label}”不是本辖区内的村/社区。", field=field)


def _checked_holdings(company: Company, holdings: list[Holding]) -> None:
    _villages_under(company.node, [h.village for h in holdings], "shares")
    for h in holdings:
        if h.share <= 0 or h.share > HUNDRED or h.share != h.share.quantize(SHARE_STEP):
            raise EconomyError(
                "share_invalid", f"“{h.village.label}”的持股比例应在 0 到 100 之间,最多四位小数。", field="shares"
            )
        if h.contribution < 0 or h.contribution != h.contribution.quantize(FEN):
            raise EconomyError(
                "contribution_invalid", f"“{h.village.label}”的出资额应为不小于零、精确到分的金额。", field="shares"
            )
    total = sum((h.share for h in holdings), Decimal(0))
    if total != HUNDRED:
        raise EconomyError("shares_not_100", f"持股比例合计应为 100%,现为 {total.normalize():f}%。", field="shares")


def shares_change(
    *, actor: Actor, company: Company, holdings: list[Holding], valid_from: datetime.date
) -> list[Shareholding]:
    """Replace the company's shares from `valid_from` on (the old rows are
    closed on that date, not deleted)."""
    require_in_scope(actor, company)
    require_capability(actor, Capability.MANAGE_ECONOMY, DENIED)
    _checked_holdings(company, holdings)
    if valid_from < company.founded_on:
        raise EconomyError("before_founding", "股权生效日期不能早于公司成立日期。", field="valid_from")
    with transaction.atomic():
        latest = company.shareholdings.aggregate(latest=Max("valid_from"))["latest"]
        if latest is not None and valid_from <= latest:
            raise EconomyError(
                "not_after_last", f"股权变更的生效日期应晚于上次变更({latest:%Y-%m-%d})。", field="valid_from"
            )
        company.shareholdings.filter(valid_to__isnull=True).update(valid_to=valid_from)
        rows = Shareholding.objects.bulk_create(
            Shareholding(
                company=company,
                village=h.village,
                contribution=h.contribution,
                share=h.share,
                valid_from=valid_from,
            )
            for h in holdings
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=user_or_none(actor),
            obj=company,
            detail={
                "shares_from": valid_from.isoformat(),
                "shares": {str(h.village.pk): str(h.share) for h in holdings},
            },
        )
    return rows


def company_create(
    *,
    actor: Actor,
    name: str,
    node: Node,
    founded_on: datetime.date,
    holdings: list[Holding],
    committee: Branch | None = None,
    note: str = "",
) -> Company:
    """A company with its first shareholders, in force from its founding date."""
    require_capability(actor, Capability.MANAGE_ECONOMY, DENIED)
    require_in_scope(actor, node)
    name = name.strip()
    if not name:
        raise EconomyError("name_required", "请填写公司名称。", field="name")
    if Company.objects.filter(name=name).exists():
        raise EconomyError("name_taken", f"已有名为“{name}”的公司。", field="name")
    if committee is not None:
        require_in_scope(actor, committee)
        if committee.kind != BranchKind.JOINT:
            raise EconomyError("not_joint_committee", f"“{committee.name}”不是联村党委。", field="committee")
    with transaction.atomic():
        company = Company(name=name, node=node, founded_on=founded_on, committee=committee, note=note.strip())
        _checked_holdings(company, holdings)
        company.created_by = user_or_none(actor)
        company.save()
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=company, detail={"name": name})
        shares_change(actor=actor, company=company, holdings=holdings, valid_from=founded_on)
    return company
