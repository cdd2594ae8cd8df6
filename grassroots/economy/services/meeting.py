"""A distribution plan through 议事 (issue 14, item 4): submitting it opens a
collective matter (集体收益分配) at the village whose meeting deliberates it,
accepted and ready for a meeting's agenda (deliberation's own pages put it
there and record the vote under the meeting's rules and quorum); reading
the meeting's resolution moves the plan to 议事通过 when it passed and to
退回 when it did not. No signals: the page or API asks, and this reads the
resolution through deliberation's selector. Publishing (公示) publishes the
plan through 晒事 as the matter's 理事方案 (core.publishing's Publisher), in
the same transaction as the plan's move: if 晒事 refuses, nothing moves."""

from __future__ import annotations

from django.db import transaction

from grassroots.accounts.actors import Actor, as_user
from grassroots.core.publishing import publisher
from grassroots.deliberation.selectors import resolution_of_matter
from grassroots.matters.models import Channel
from grassroots.matters.selectors import categories_active
from grassroots.matters.services.intake import MatterInput, matter_create
from grassroots.matters.services.lifecycle import matter_accept
from grassroots.regions.models import Node

from ..errors import EconomyConflict, EconomyError
from ..models import DistributionPlan
from ..permissions import require_action
from ..states import Action
from . import workflow
from .distribution import plan_approve, plan_return

CATEGORY = "collective-income"


def _village(plan: DistributionPlan, village: Node | None) -> Node:
    """The chosen village, which must hold a share; else the largest shareholder."""
    lines = list(plan.lines.select_related("village").order_by("-share", "village__path"))
    if village is None:
        if not lines:
            raise EconomyError("no_lines", "方案没有股东村,无法提交议事。")
        return lines[0].village
    if village.pk not in {line.village_id for line in lines}:
        raise EconomyError("village_not_holder", f"“{village.label}”不是该方案的股东村/社区。", field="village")
    return village


def _matter_text(plan: DistributionPlan) -> str:
    rows = ";".join(
        f"{line.village.label} {line.share.normalize():f}% 分配 {line.amount} 元" for line in plan.lines.all()
    )
    return (
        f"{plan.company.name}{plan.year}年度可分配利润 {plan.total} 元,按股权基准日 {plan.shares_on:%Y-%m-%d} "
        f"的持股比例分配(精确到分,合计等于可分配利润):{rows}。"
    )


def plan_submit(*, actor: Actor, plan: DistributionPlan, village: Node | None = None) -> DistributionPlan:
    """草拟/退回 → 提交议事, with a new collective matter at `village` for its meeting."""
    require_action(actor, Action.SUBMIT, plan)
    workflow.WORKFLOW.check(Action.SUBMIT, plan)
    village = _village(plan, village)
    category = next((c for c in categories_active() if c.code == CATEGORY), None)
    with transaction.atomic():
        matter, _created = matter_create(
            actor=actor,
            data=MatterInput(
                node=village,
                title=f"{plan.company.name}{plan.year}年度收益分配方案"[:100],
                description=_matter_text(plan),
                channel=Channel.WALK_IN,
                touches_collective=True,
                category=category,
                channel_detail={"source": "economy.distribution_plan", "plan": plan.pk},
            ),
        )
        staff = as_user(actor)
        if category is not None and staff is not None:
            # Accepted by the staff member who submits (the system, in the demo
            # or a command, leaves it for a handler to accept in the queue).
            matter_accept(actor=staff, matter=matter, category=category)
        return workflow.transition(
            actor=actor,
            plan=plan,
            action=Action.SUBMIT,
            updates={"matter": matter, "village": village},
            text=f"提交{village.label}议事(事项 {matter.number})。",
        )


def plan_read_resolution(*, actor: Actor, plan: DistributionPlan) -> DistributionPlan:
    """提交议事 → 议事通过 or 退回, as the meeting's resolution on the plan's matter says."""
    require_action(actor, Action.APPROVE, plan)
    workflow.WORKFLOW.check(Action.APPROVE, plan)
    resolution = resolution_of_matter(matter=plan.matter) if plan.matter_id and plan.matter else None
    if resolution is None:
        raise EconomyConflict("not_decided", "议事会议尚未对该方案作出决议,请在会议记录表决结果后再读取。")
    meeting = resolution.item.meeting
    text = (
        f"{meeting.title}({meeting.starts_at:%Y-%m-%d}):{resolution.decision}"
        f"(到会 {resolution.present} 人,赞成 {resolution.votes_for},反对 {resolution.votes_against},"
        f"弃权 {resolution.votes_abstain})"
    )[:500]
    if resolution.passed:
        return plan_approve(actor=actor, plan=plan, resolution=text)
    return plan_return(actor=actor, plan=plan, reason=("议事未通过:" + text)[:500])


PLAN_KIND = "plan"  # the matter's 理事方案 (publicity's Kind)
CHANNELS = ("portal", "notice")


def _publication_text(plan: DistributionPlan) -> str:
    lines = [
        f"{plan.company.name}{plan.year}年度可分配利润 {plan.total} 元,"
        f"按 {plan.shares_on:%Y年%m月%d日} 的持股比例分配至各股东村(社区),精确到分,合计等于可分配利润:",
    ]
    lines += [
        f"{line.village.label}:持股 {line.share.normalize():f}%,分配 {line.amount} 元" for line in plan.lines.all()
    ]
    if plan.resolution:
        lines.append(f"议事结果:{plan.resolution}")
    lines.append("公示期内如有异议,请通过公示页面提出或向村(社区)反映。")
    return "\n".join(lines)


def plan_publish(*, actor: Actor, plan: DistributionPlan) -> DistributionPlan:
    """议事通过 → 公示, published through 晒事 under the plan's matter. The
    system (demo, commands) moves the plan without a publication: 晒事
    publishes in a staff member's name."""
    require_action(actor, Action.PUBLISH, plan)
    workflow.WORKFLOW.check(Action.PUBLISH, plan)
    staff = as_user(actor)
    with transaction.atomic():
        text = "公示。"
        if staff is not None:
            if plan.matter is None:
                raise EconomyConflict("no_matter", "方案没有议事事项,不能通过晒事公示。")
            publication = publisher().publish(
                actor=staff,
                kind=PLAN_KIND,
                matter=plan.matter,
                title=f"{plan.company.name}{plan.year}年度收益分配方案公示"[:100],
                content=_publication_text(plan),
                channels=list(CHANNELS),
            )
            text = f"通过晒事公示(公示 {publication.pk})。"
        return workflow.transition(actor=actor, plan=plan, action=Action.PUBLISH, text=text)
