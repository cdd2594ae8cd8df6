"""A distribution plan through 议事 (issue 14, item 4): submitting it opens a
collective matter (集体收益分配) at the village whose meeting deliberates it,
accepted in the system's name and ready for a meeting's agenda (deliberation's own pages put it
there and record the vote under the meeting's rules and quorum); reading
the meeting's resolution moves the plan to 议事通过 when it passed and to
退回 when it did not. No signals: the page or API asks, and this reads the
resolution through deliberation's selector. Publishing (公示) publishes the
plan through 晒事 as the matter's 理事方案 (core.publishing's Publisher), in
the same transaction as the plan's move: if 晒事 refuses, nothing moves."""

from __future__ import annotations

from django.db import transaction

from grassroots.accounts.actors import Actor, as_user
from grassroots.core.actors import SYSTEM
from grassroots.core.publishing import publisher
from grassroots.deliberation.selectors import resolution_of_matter
from grassroots.matters.models import Channel
from grassroots.matters.models import State as MatterState
from grassroots.matters.selectors import categories_active
from grassroots.matters.services.intake import MatterInput, matter_create
from grassroots.matters.services.lifecycle import matter_accept, matter_resolve
from grassroots.publicity.models import Publication
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
    """草拟/退回 → 提交议事, with a new collective matter at `village` for its
    meeting. The matter is accepted at once under 集体收益分配 in the
    system's name, whoever submits (ADR 0045): economy's own permission is the
    gate, the category is known, and a plan whose matter waited in a handler's
    queue would never reach a meeting's agenda (the bug of issue 14)."""
    require_action(actor, Action.SUBMIT, plan)
    workflow.WORKFLOW.check(Action.SUBMIT, plan)
    village = _village(plan, village)
    category = next((c for c in categories_active() if c.code == CATEGORY), None)
    if category is None:
        raise EconomyConflict(
            "category_missing", "事项分类“集体收益分配”未启用,无法提交议事。请管理员在事项分类中启用后再提交。"
        )
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
        matter_accept(actor=SYSTEM, matter=matter, category=category)
        return workflow.transition(
            actor=actor,
            plan=plan,
            action=Action.SUBMIT,
            updates={"matter": matter, "village": village},
            text=f"提交{village.label}议事(事项 {matter.number},已自动受理)。",
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


RESULT_KIND = "result"  # the matter's 理事结果 (publicity's Kind)


def _result_text(plan: DistributionPlan) -> str:
    lines = [f"{plan.company.name}{plan.year}年度收益已按公示的分配方案分配到位,合计 {plan.total} 元:"]
    lines += [f"{line.village.label}:实际分配 {line.amount} 元" for line in plan.lines.all()]
    return "\n".join(lines)


def plan_distribute(*, actor: Actor, plan: DistributionPlan) -> DistributionPlan:
    """公示 → 已分配. The plan's matter is resolved with each village's amount
    as its result (in the system's name: the meeting named the handler, and
    economy's permission is the gate) and, when a staff member confirms a plan
    published through 晒事, the result is published through 晒事 as the matter's 理事结果: the second
    publication beside the plan's (ADR 0045). All in one transaction: if 晒事
    refuses, nothing moves."""
    require_action(actor, Action.DISTRIBUTE, plan)
    workflow.WORKFLOW.check(Action.DISTRIBUTE, plan)
    staff = as_user(actor)
    with transaction.atomic():
        text = "确认已分配。"
        matter = plan.matter
        if matter is not None and matter.state == MatterState.HANDLING:
            matter = matter_resolve(actor=SYSTEM, matter=matter, result=_result_text(plan))
        # A plan published through 晒事 has its result published there too; a
        # plan the system moved without a publication (demo, commands) has none.
        published = matter is not None and Publication.objects.filter(matter=matter, kind=PLAN_KIND).exists()
        if staff is not None and published:
            assert matter is not None
            if matter.state not in (MatterState.RESOLVED, MatterState.CLOSED):
                raise EconomyConflict("result_not_ready", "方案的议事事项尚未办结,不能公示分配结果。")
            publication = publisher().publish(
                actor=staff,
                kind=RESULT_KIND,
                matter=matter,
                title=f"{plan.company.name}{plan.year}年度收益分配结果公示"[:100],
                content=_result_text(plan),
                channels=list(CHANNELS),
            )
            text = f"确认已分配,分配结果通过晒事公示(公示 {publication.pk})。"
        return workflow.transition(actor=actor, plan=plan, action=Action.DISTRIBUTE, text=text)
