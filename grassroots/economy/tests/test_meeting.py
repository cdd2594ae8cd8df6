"""A distribution plan through 议事: submitting opens an accepted collective
matter at the largest shareholder village; a village meeting puts it on its
agenda and votes under its rules (deliberation's services); reading the
resolution moves the plan to 议事通过 when it passed and to 退回 when not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from grassroots.core.errors import DomainError
from grassroots.publicity.models import Publication

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
