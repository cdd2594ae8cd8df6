"""The annual distribution of a company's profit: a plan computed from the
shares in force on its reference date (services/allocation.py: whole fen,
summing to the total exactly), and its workflow (states.py): submitted to a
village meeting, approved with the meeting's resolution or returned, made
public, and marked distributed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import require_in_scope
from grassroots.regions.models import Node

from ..errors import EconomyError
from ..models import Company, DistributionEvent, DistributionLine, DistributionPlan, Shareholding
from ..permissions import require_action
from ..states import Action, Activity
from . import workflow
from .allocation import FEN, AllocationError, allocate
from .income import MAX_AMOUNT

MAX_TEXT = 200
MAX_RESOLUTION = 500


def shares_on(*, company: Company, day: datetime.date) -> list[Shareholding]:
    """The company's shareholdings in force on `day`, in village order."""
    return list(
        company.shareholdings.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("village")
        .order_by("village__path", "id")
    )


def tie_key(village: Node) -> str:
    """The deterministic order of equal remainders: village code, then path."""
    return f"{village.code or ''}/{village.path}"


def _total(total: Decimal) -> Decimal:
    if total <= 0 or total > MAX_AMOUNT or total != total.quantize(FEN):
        raise EconomyError("total_invalid", "可分配利润应为大于零、精确到分的金额。", field="total")
    return total


def _lines(plan: DistributionPlan) -> list[DistributionLine]:
    holdings = shares_on(company=plan.company, day=plan.shares_on)
    if not holdings:
        raise EconomyError(
            "no_shares", f"公司在 {plan.shares_on:%Y-%m-%d} 没有生效的股权,无法计算分配。", field="shares_on"
        )
    try:
        amounts = allocate(plan.total, [(tie_key(h.village), h.share) for h in holdings])
    except AllocationError as exc:
        raise EconomyError("allocation_failed", str(exc), field="total") from exc
    return [
        DistributionLine(plan=plan, village=h.village, share=h.share, amount=amounts[tie_key(h.village)])
        for h in holdings
    ]


def plan_create(
    *,
    actor: Actor,
    company: Company,
    year: int,
    total: Decimal,
    shares_on: datetime.date | None = None,
    note: str = "",
) -> DistributionPlan:
    """Draft the year's plan and compute each village's amount."""
    require_in_scope(actor, company)
    require_capability(actor, Capability.MANAGE_ECONOMY, "只有街道经管站可以编制分配方案。")
    if year < 2000 or year > 2100:
        raise EconomyError("year_invalid", "请填写有效的年度。", field="year")
    total = _total(total)
    with transaction.atomic():
        if DistributionPlan.objects.filter(company=company, year=year).exists():
            raise EconomyError("plan_exists", f"{company.name}{year}年度的分配方案已存在。", field="year")
        plan = DistributionPlan(
            company=company,
            year=year,
            total=total,
            shares_on=shares_on or datetime.date(year, 12, 31),
            note=note.strip()[:MAX_TEXT],
            created_by=user_or_none(actor),
        )
        lines = _lines(plan)
        plan.save()
        DistributionLine.objects.bulk_create(lines)
        DistributionEvent.objects.create(plan=plan, action="create", to_state=plan.state, actor=user_or_none(actor))
        audit_record(
            action=AuditAction.CREATE,
            actor=user_or_none(actor),
            obj=plan,
            detail={"company": company.pk, "year": year, "total": str(total)},
        )
    return plan


def plan_recompute(
    *, actor: Actor, plan: DistributionPlan, total: Decimal, shares_on: datetime.date
) -> DistributionPlan:
    """A draft or returned plan with a new total or reference date."""
    require_in_scope(actor, plan)
    require_capability(actor, Capability.MANAGE_ECONOMY, "只有街道经管站可以编制分配方案。")
    workflow.WORKFLOW.check_activity(Activity.RECOMPUTE, plan)
    plan.total, plan.shares_on = _total(total), shares_on
    with transaction.atomic():
        lines = _lines(plan)
        plan.save()
        plan.lines.all().delete()
        DistributionLine.objects.bulk_create(lines)
        DistributionEvent.objects.create(
            plan=plan,
            action=Activity.RECOMPUTE,
            from_state=plan.state,
            to_state=plan.state,
            actor=user_or_none(actor),
            data={"total": str(plan.total), "shares_on": plan.shares_on.isoformat()},
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=user_or_none(actor),
            obj=plan,
            detail={"total": str(plan.total), "shares_on": plan.shares_on.isoformat()},
        )
    return plan


def _text(text: str, *, code: str, message: str, limit: int = MAX_TEXT) -> str:
    text = (text or "").strip()
    if not text:
        raise EconomyError(code, message, field="text")
    if len(text) > limit:
        raise EconomyError("text_too_long", f"内容不能超过 {limit} 个字。", field="text")
    return text


def plan_approve(*, actor: Actor, plan: DistributionPlan, resolution: str) -> DistributionPlan:
    """Record that the village meeting passed the plan (its resolution: read
    from the meeting by services/deliberation.py, or typed from a paper record)."""
    require_action(actor, Action.APPROVE, plan)
    workflow.WORKFLOW.check(Action.APPROVE, plan)
    text = _text(resolution, code="resolution_required", message="请填写议事会议的表决结果。", limit=MAX_RESOLUTION)
    return workflow.transition(actor=actor, plan=plan, action=Action.APPROVE, updates={"resolution": text}, text=text)


def plan_return(*, actor: Actor, plan: DistributionPlan, reason: str) -> DistributionPlan:
    require_action(actor, Action.RETURN, plan)
    workflow.WORKFLOW.check(Action.RETURN, plan)
    text = _text(reason, code="reason_required", message="请填写退回原因。", limit=MAX_RESOLUTION)
    return workflow.transition(actor=actor, plan=plan, action=Action.RETURN, text=text)
