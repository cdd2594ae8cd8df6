"""A distribution plan through 议事: submitting opens an accepted collective
matter at the largest shareholder village; a village meeting puts it on its
agenda and votes under its rules (deliberation's services); reading the
resolution moves the plan to 议事通过 when it passed and to 退回 when not."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError
from grassroots.matters.models import Category, Matter
from grassroots.publicity.models import Publication

from ..selectors import plan_publications
from ..services import distribution, meeting
from ..states import State
from .support import company_of, vote

pytestmark = pytest.mark.django_db


def _submitted(tree, people):
    company = company_of(tree.subdistrict, [(tree.village_a, "60"), (tree.village_b, "40")])
    plan = distribution.plan_create(actor=people.street, company=company, year=2025, total=Decimal("2100000.00"))
    return meeting.plan_submit(actor=people.street, plan=plan)


def test_submit_opens_an_accepted_collective_matter(tree, people):
    plan = _submitted(tree, people)
    assert plan.state == State.SUBMITTED and plan.village == tree.village_a
    matter = plan.matter
    assert matter is not None and matter.state == "accepted" and matter.touches_collective
    assert matter.category.code == "collective-income" and "2100000.00" in matter.description


def test_a_passed_resolution_approves_the_plan(tree, people):
    plan = _submitted(tree, people)
    with pytest.raises(DomainError) as exc:
        meeting.plan_read_resolution(actor=people.street, plan=plan)
    assert exc.value.code == "not_decided" and exc.value.status == 409
    vote(tree, people.village_a, plan, votes_for=3, against=0)
    plan = meeting.plan_read_resolution(actor=people.street, plan=plan)
    assert plan.state == State.APPROVED
    assert "十二月村民协商议事会" in plan.resolution and "赞成 3" in plan.resolution


def test_a_failed_resolution_returns_the_plan(tree, people):
    plan = _submitted(tree, people)
    vote(tree, people.village_a, plan, votes_for=1, against=2)
    plan = meeting.plan_read_resolution(actor=people.street, plan=plan)
    assert plan.state == State.RETURNED
    last = plan.events.order_by("-id").first()
    assert last is not None and last.text.startswith("议事未通过")


def test_submit_refusals(tree, people):
    company = company_of(tree.subdistrict, [(tree.village_a, "100")])
    plan = distribution.plan_create(actor=people.street, company=company, year=2025, total=Decimal("1.00"))
    with pytest.raises(DomainError) as exc:
        meeting.plan_submit(actor=people.street, plan=plan, village=tree.village_b)
    assert exc.value.code == "village_not_holder"
    with pytest.raises(DomainError) as exc:
        meeting.plan_submit(actor=people.village_a, plan=plan)
    assert exc.value.status == 404
    plan.refresh_from_db()
    assert plan.state == State.DRAFT and plan.matter_id is None


def test_publishing_goes_through_the_matters_publication(tree, people):
    plan = _submitted(tree, people)
    vote(tree, people.village_a, plan, votes_for=3, against=0)
    plan = meeting.plan_read_resolution(actor=people.street, plan=plan)
    plan = meeting.plan_publish(actor=people.street, plan=plan)
    assert plan.state == State.PUBLISHED
    publication = Publication.objects.get(matter=plan.matter)
    assert publication.kind == "plan" and publication.state == "published"
    assert "2100000.00" in publication.content and "西张村" in publication.content


def test_publishing_without_the_meetings_plan_is_refused(tree, people):
    plan = _submitted(tree, people)
    plan = distribution.plan_approve(actor=people.street, plan=plan, resolution="纸质表决记录:通过")
    with pytest.raises(DomainError) as exc:
        meeting.plan_publish(actor=people.street, plan=plan)
    assert "还没有可以公示" in exc.value.message
    plan.refresh_from_db()
    assert plan.state == State.APPROVED and not Publication.objects.exists()


def test_a_system_submission_is_accepted_under_its_category(tree, people):
    """The bug of issue 14: the system's submission left the matter 待受理."""
    company = company_of(tree.subdistrict, [(tree.village_a, "100")])
    plan = distribution.plan_create(actor=SYSTEM, company=company, year=2025, total=Decimal("10.00"))
    plan = meeting.plan_submit(actor=SYSTEM, plan=plan)
    matter = plan.matter
    assert matter is not None and matter.state == "accepted"
    assert matter.category is not None and matter.category.code == "collective-income"
    assert matter.accepted_at is not None and matter.due_date is not None
    assert "已自动受理" in plan.events.get(action="submit").text


def test_submit_without_the_category_is_refused(tree, people):
    Category.objects.filter(code="collective-income").update(active=False)
    company = company_of(tree.subdistrict, [(tree.village_a, "100")])
    plan = distribution.plan_create(actor=people.street, company=company, year=2025, total=Decimal("10.00"))
    with pytest.raises(DomainError) as exc:
        meeting.plan_submit(actor=people.street, plan=plan)
    assert exc.value.code == "category_missing" and "集体收益分配" in exc.value.message
    plan.refresh_from_db()
    assert plan.state == State.DRAFT and plan.matter_id is None and not Matter.objects.exists()


def _published(tree, people):
    plan = _submitted(tree, people)
    vote(tree, people.village_a, plan, votes_for=3, against=0)
    plan = meeting.plan_read_resolution(actor=people.street, plan=plan)
    return meeting.plan_publish(actor=people.street, plan=plan)


def test_distributing_resolves_the_matter_and_publishes_the_result(tree, people):
    plan = meeting.plan_distribute(actor=people.street, plan=_published(tree, people))
    assert plan.state == State.DISTRIBUTED
    matter = plan.matter
    assert matter is not None
    matter.refresh_from_db()
    assert matter.state == "resolved" and "西张村:实际分配 1260000.00 元" in matter.result
    kinds = [p.kind for p in plan_publications(plan=plan)]
    assert kinds == ["plan", "result"]
    result = Publication.objects.get(matter=matter, kind="result")
    assert result.state == "published" and "店子社区:实际分配 840000.00 元" in result.content
    assert f"公示 {result.pk}" in plan.events.get(action="distribute").text


def test_a_refused_result_publication_moves_nothing(tree, people, monkeypatch):
    plan = _published(tree, people)

    def refuse(**_kwargs):
        raise DomainError("publication_state", "晒事拒绝")

    real = meeting.publisher()
    monkeypatch.setattr(meeting, "publisher", lambda: dataclasses.replace(real, publish=refuse))
    with pytest.raises(DomainError):
        meeting.plan_distribute(actor=people.street, plan=plan)
    plan.refresh_from_db()
    assert plan.state == State.PUBLISHED
    assert Matter.objects.get(pk=plan.matter_id).state == "handling"
    assert not Publication.objects.filter(kind="result").exists()
