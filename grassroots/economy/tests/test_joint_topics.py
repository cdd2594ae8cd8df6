"""村级集体增收 topics for the weekly joint meeting (ADR 0045): economy
offers villages whose income lags, plans waiting for a decision and stalled
key projects through matters' topic registry; 列入联席会议 creates (or finds)
the topic's matter and flags it for the joint meeting, on the weekly page."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError
from grassroots.matters.models import Matter
from grassroots.matters.selectors import joint_meeting_list, joint_topics_visible_to
from grassroots.matters.services.lifecycle import joint_topic_take

from ..joint_topics import topics
from ..services import distribution, income, meeting, milestones, projects
from .support import company_of

pytestmark = pytest.mark.django_db


def lagging_village(tree, actor=SYSTEM):
    today = timezone.localdate()
    income.target_set(actor=actor, village=tree.village_a, year=today.year, amount=Decimal("1200000.00"))
    income.income_record(
        actor=actor, village=tree.village_a, month=today.replace(day=1), source="market", amount=Decimal("10000.00")
    )


def stalled_project(tree):
    project = projects.project_save(
        actor=SYSTEM,
        node=tree.village_b,
        data=projects.ProjectInput(name="店子物流园", level="district", stage="building", blockers="土地报批未完成"),
    )
    milestones.milestone_add(
        actor=SYSTEM,
        project=project,
        name="主体封顶",
        planned_on=timezone.localdate() - datetime.timedelta(days=20),
        progress=50,
    )
    return project


def waiting_plan(tree, people):
    company = company_of(tree.subdistrict, [(tree.village_a, "100")])
    plan = distribution.plan_create(actor=people.street, company=company, year=2025, total=Decimal("100.00"))
    return meeting.plan_submit(actor=people.street, plan=plan)


def all_three(tree, people):
    lagging_village(tree)
    project = stalled_project(tree)
    plan = waiting_plan(tree, people)
    return project, plan


def test_the_three_kinds_of_topics(tree, people, django_assert_max_num_queries):
    project, plan = all_three(tree, people)
    with django_assert_max_num_queries(6):
        found = topics(people.street)
    kinds = {t.kind: t for t in found}
    assert set(kinds) == {"收入滞后", "方案待决", "项目停滞"}
    assert kinds["收入滞后"].place == "西张村" and "10000.00" in kinds["收入滞后"].reason
    assert kinds["方案待决"].matter == plan.matter and not kinds["方案待决"].listed
    assert kinds["项目停滞"].key.startswith(f"project:{project.pk}:") and "土地报批" in kinds["项目停滞"].reason
    # Village b's staff see only their subtree: the stalled project, not village a's topics.
    assert [t.kind for t in topics(people.village_b)] == ["项目停滞"]
    assert joint_topics_visible_to(user=people.street)[0][0].label == "村级集体增收"


def test_no_topics_when_income_keeps_pace(tree, people):
    today = timezone.localdate()
    income.target_set(actor=SYSTEM, village=tree.village_a, year=today.year, amount=Decimal("12.00"))
    income.income_record(
        actor=SYSTEM, village=tree.village_a, month=today.replace(day=1), source="market", amount=Decimal("12.00")
    )
    assert topics(people.street) == []
    assert joint_topics_visible_to(user=people.street) == []


def test_taking_a_topic_creates_one_accepted_matter_on_the_joint_meeting_list(tree, people):
    lagging_village(tree)
    key = topics(people.street)[0].key
    matter = joint_topic_take(actor=people.street, source="economy", key=key)
    assert matter.state == "accepted" and matter.touches_collective and matter.node == tree.village_a
    assert matter.joint_meeting_requested_at is not None and matter.joint_meeting_reason.startswith("村级集体增收")
    again = joint_topic_take(actor=people.street, source="economy", key=key)
    assert again.pk == matter.pk and Matter.objects.count() == 1
    assert topics(people.street)[0].listed
    assert list(joint_meeting_list(user=people.street)) == [matter]


def test_taking_a_waiting_plan_flags_its_matter(tree, people):
    plan = waiting_plan(tree, people)
    matter = joint_topic_take(actor=people.street, source="economy", key=f"plan:{plan.pk}")
    assert matter.pk == plan.matter_id and matter.joint_meeting_requested_at is not None
    assert Matter.objects.count() == 1


def test_take_refusals_change_nothing(tree, people):
    project, _plan = all_three(tree, people)
    before = Matter.objects.count()
    with pytest.raises(DomainError) as exc:
        joint_topic_take(actor=people.street, source="economy", key="income:999999:2020")
    assert exc.value.status == 404
    with pytest.raises(DomainError) as exc:
        joint_topic_take(actor=people.street, source="nothing", key="x")
    assert exc.value.status == 404
    # Another subtree: village b's staff may not take village a's topic.
    income_key = next(t.key for t in topics(people.street) if t.kind == "收入滞后")
    with pytest.raises(DomainError) as exc:
        joint_topic_take(actor=people.village_b, source="economy", key=income_key)
    assert exc.value.status == 404
    # A role without 列入联席会议.
    with pytest.raises(DomainError) as exc:
        joint_topic_take(actor=people.grid_a, source="economy", key=f"project:{project.pk}:0")
    assert exc.value.status == 403
    assert Matter.objects.count() == before


def test_the_weekly_page_offers_and_takes_topics(client, tree, people, django_assert_max_num_queries):
    all_three(tree, people)
    client.force_login(people.street)
    with django_assert_max_num_queries(33):
        page = client.get("/deliberation/weekly/")
    body = page.content.decode()
    assert page.status_code == 200 and "村级集体增收议题" in body and body.count('data-testid="take-topic"') == 3
    key = topics(people.street)[0].key
    answer = client.post("/deliberation/weekly/", {"step": "topic", "source": "economy", "key": key})
    assert answer.status_code == 302
    assert "已列入联席会议" in client.get("/deliberation/weekly/").content.decode()
    assert Matter.objects.filter(joint_meeting_requested_at__isnull=False).count() == 1
    assert client.post("/deliberation/weekly/", {"step": "topic", "source": "economy", "key": "x:1"}).status_code == 404
    client.force_login(people.grid_a)
    assert client.post("/deliberation/weekly/", {"step": "topic", "source": "economy", "key": key}).status_code == 403
