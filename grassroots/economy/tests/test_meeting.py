"""A distribution plan through 议事: submitting opens an accepted collective
matter at the largest shareholder village; a village meeting puts it on its
agenda and votes under its rules (deliberation's services); reading the
resolution moves the plan to 议事通过 when it passed and to 退回 when not."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from grassroots.core.errors import DomainError
from grassroots.deliberation.services import agenda, meetings, resolutions
from grassroots.deliberation.services.resolutions import VoteInput
from grassroots.deliberation.tests.setup import make_representatives, publish_rules
from grassroots.matters.models import ResponsibleUnit, UnitKind
from grassroots.publicity.tests.staff_helpers import _earlier_today

from ..services import distribution, meeting
from ..states import State
from .support import company_of

pytestmark = pytest.mark.django_db


def _submitted(tree, people):
    company = company_of(tree.subdistrict, [(tree.village_a, "60"), (tree.village_b, "40")])
    plan = distribution.plan_create(actor=people.street, company=company, year=2025, total=Decimal("2100000.00"))
    return meeting.plan_submit(actor=people.street, plan=plan)


def _vote(tree, people, plan, *, votes_for: int, against: int) -> None:
    convener = people.village_a
    reps = make_representatives(tree.village_a, tree.unit_a1, 3, serial_base=700)
    publish_rules(convener, tree.village_a)
    held = meetings.meeting_convene(
        actor=convener,
        node=tree.village_a,
        data=meetings.MeetingInput(
            kind="consultation", title="十二月村民协商议事会", starts_at=_earlier_today(), place="村委会"
        ),
    )
    meetings.meeting_invite(actor=convener, meeting=held, representatives=reps)
    held = meetings.meeting_open(actor=convener, meeting=held)
    for invitation in held.invitations.all():
        meetings.attendance_set(actor=convener, invitation=invitation, present=True)
    item = agenda.agenda_add_matter(actor=convener, meeting=held, matter=plan.matter)
    unit, _ = ResponsibleUnit.objects.get_or_create(
        node=tree.village_a, name="西张村村委会", defaults={"kind": UnitKind.VILLAGE}
    )
    resolutions.resolution_record(
        actor=convener,
        item=item,
        data=VoteInput(
            decision="同意按持股比例分配",
            votes_for=votes_for,
            votes_against=against,
            responsible_unit=unit,
            assignee=convener,
            due_date=datetime.date(2026, 12, 31),
        ),
    )


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
    _vote(tree, people, plan, votes_for=3, against=0)
    plan = meeting.plan_read_resolution(actor=people.street, plan=plan)
    assert plan.state == State.APPROVED
    assert "十二月村民协商议事会" in plan.resolution and "赞成 3" in plan.resolution


def test_a_failed_resolution_returns_the_plan(tree, people):
    plan = _submitted(tree, people)
    _vote(tree, people, plan, votes_for=1, against=2)
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
