"""村级集体增收 topics for the weekly joint meeting (ADR 0045), registered
into matters' topic registry in EconomyConfig.ready(): villages whose actual
income this year lags the projection pro rata, distribution plans waiting for
their meeting's decision, and key projects with an overdue milestone. Taking
a topic finds the plan's matter, or creates a collective matter for it
(accepted under 集体收益分配 in the system's name, like a submitted plan's;
one matter per topic, found again by its idempotency key)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.core.actors import SYSTEM
from grassroots.core.errors import NotFound
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset
from grassroots.matters.models import Channel, Matter
from grassroots.matters.selectors import categories_active
from grassroots.matters.services.intake import MatterInput, matter_create
from grassroots.matters.services.joint_topics import Topic, TopicSource
from grassroots.matters.services.lifecycle import matter_accept
from grassroots.regions.models import Node

from . import selectors
from .errors import EconomyConflict
from .models import KeyProject, Milestone
from .services.meeting import CATEGORY
from .states import State

KEY_PREFIX = "economy-topic:"


def _elapsed(today: Any) -> int:
    """Whole months of the year behind us: the share of the projection due."""
    return today.month - 1


def _lagging(user: Any) -> list[tuple[str, Node, str]]:
    today = timezone.localdate()
    months = _elapsed(today)
    found: list[tuple[str, Node, str]] = []
    if months <= 0:
        return found
    for row in selectors.income_by_village(user=user, year=today.year):
        if not row.projected:
            continue
        due = (row.projected * months / 12).quantize(Decimal("0.01"))
        if row.actual < due:
            reason = (
                f"{today.year}年预计收入 {row.projected} 元,截至{months}月应完成 {due} 元,实际 {row.actual} 元"
                f"(完成{row.rate}%)"
            )
            found.append((f"income:{row.village.pk}:{today.year}", row.village, reason))
    return found


def _plans(user: Any) -> Any:
    return (
        selectors.plans_visible_to(user=user)
        .filter(state=State.SUBMITTED, matter__isnull=False)
        .select_related("matter", "village", "company")
    )


def _stalled(user: Any) -> list[tuple[str, KeyProject, Milestone]]:
    today = timezone.localdate()
    rows = (
        Milestone.objects.filter(
            project__in=scope_queryset(KeyProject.objects.exclude(stage="completed"), user),
            planned_on__lt=today,
            reached_on__isnull=True,
        )
        .select_related("project__node")
        .order_by("planned_on", "id")
    )
    seen: set[int] = set()
    found: list[tuple[str, KeyProject, Milestone]] = []
    for milestone in rows:
        if milestone.project_id in seen:
            continue
        seen.add(milestone.project_id)
        found.append((f"project:{milestone.project_id}:{milestone.pk}", milestone.project, milestone))
    return found


def topics(user: Any) -> list[Topic]:
    """The topics of the user's subtree, with the matter that carries each (6 queries)."""
    drafts: list[tuple[str, str, str, str, str, Any]] = []
    for key, village, reason in _lagging(user):
        drafts.append((key, f"{village.label}集体收入滞后于预期", reason, village.label, "收入滞后", None))
    for plan in _plans(user):
        assert plan.village is not None
        title = f"{plan.company.name}{plan.year}年度收益分配方案待议决"
        reason = f"已提交{plan.village.label}议事,事项 {plan.matter.number if plan.matter else ''},尚待会议表决"
        drafts.append((f"plan:{plan.pk}", title, reason, plan.village.label, "方案待决", plan.matter))
    today = timezone.localdate()
    for key, project, milestone in _stalled(user):
        late = (today - milestone.planned_on).days
        reason = f"节点“{milestone.name}”计划 {milestone.planned_on:%Y-%m-%d} 达成,已逾期 {late} 天"
        if project.blockers:
            reason += f";存在问题:{project.blockers}"
        drafts.append((key, f"重点项目“{project.name}”进度停滞", reason, project.node.label, "项目停滞", None))
    keys = [KEY_PREFIX + d[0] for d in drafts if d[5] is None]
    created = {m.idempotency_key: m for m in Matter.objects.filter(idempotency_key__in=keys)} if keys else {}
    result = []
    for key, title, reason, place, kind, matter in drafts:
        matter = matter or created.get(KEY_PREFIX + key)
        listed = matter is not None and matter.joint_meeting_requested_at is not None
        result.append(Topic(key, title, reason[:200], place, kind, matter, listed))
    return result


def _topic(actor: Any, key: str) -> Topic:
    for topic in topics(actor):
        if topic.key == key:
            return topic
    raise NotFound("未找到该议题,或它已不再需要联席会议研究。")


def _node(actor: Any, key: str) -> Node:
    kind, pk, *_rest = key.split(":")
    if kind == "income":
        return get_in_scope_or_404(Node.objects.all(), actor, pk=pk)
    project = get_in_scope_or_404(KeyProject.objects.select_related("node"), actor, pk=pk)
    return project.node


def take(actor: Any, key: str) -> tuple[Matter, str]:
    """The matter of topic `key` and the reason to list it."""
    topic = _topic(actor, key)
    if topic.matter is not None:
        return topic.matter, f"村级集体增收:{topic.title}"
    category = next((c for c in categories_active() if c.code == CATEGORY), None)
    if category is None:
        raise EconomyConflict("category_missing", "事项分类“集体收益分配”未启用,无法生成联席会议议题。")
    with transaction.atomic():
        matter, created = matter_create(
            actor=actor,
            data=MatterInput(
                node=_node(actor, key),
                title=topic.title[:100],
                description=f"{topic.title}:{topic.reason}。由集体经济台账提请街道党政联席会议研究。",
                channel=Channel.WALK_IN,
                touches_collective=True,
                category=category,
                channel_detail={"source": "economy.joint_topic", "key": key},
            ),
            idempotency_key=KEY_PREFIX + key,
        )
        if created:
            matter = matter_accept(actor=SYSTEM, matter=matter, category=category)
    return matter, f"村级集体增收:{topic.title}"


TOPIC_SOURCE = TopicSource(code="economy", label="村级集体增收", topics=topics, take=take)
