"""A resolution settling a matter names the responsible unit and the person
who handles it; leaving deliberation applies both to the matter (with a
timeline event and a note to the person), so 评事 finds whom to appraise."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.core.errors import DomainError
from grassroots.core.models import Notification
from grassroots.matters.models import EventKind, Matter
from grassroots.matters.services import lifecycle
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests.staff_setup import accepted, new_matter

from ..errors import DeliberationError
from ..models import Resolution
from ..services import agenda, meetings, resolutions
from ..services.resolutions import VoteInput
from .setup import convene, make_representatives, publish_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(tree, staff_a):
    reps = make_representatives(tree.village_a, tree.unit_a1, 3)
    publish_rules(staff_a, tree.village_a)
    matter = accepted(new_matter(tree.unit_a1, actor=staff_a, title="村口路灯不亮"), staff_a)
    meeting = convene(staff_a, tree.village_a)
    meetings.meeting_invite(actor=staff_a, meeting=meeting, representatives=reps)
    added = agenda.agenda_add_matter(actor=staff_a, meeting=meeting, matter=matter)
    meeting = meetings.meeting_open(actor=staff_a, meeting=meeting)
    for inv in meeting.invitations.all():
        meetings.attendance_set(actor=staff_a, invitation=inv, present=True)
    return added


def _vote(item, actor, **kwargs):
    data = {
        "decision": "村委会更换路灯。",
        "votes_for": 3,
        "responsible_unit": item.matter.responsible_unit,
        "due_date": timezone.localdate() + datetime.timedelta(days=10),
    }
    data.update(kwargs)
    return resolutions.resolution_record(actor=actor, item=item, data=VoteInput(**data))


def test_a_settled_matter_gets_the_unit_and_the_person(item, staff_a, grid_worker):
    res = _vote(item, staff_a, assignee=grid_worker)
    assert res.assignee == grid_worker
    matter = Matter.objects.get(pk=item.matter_id)
    assert matter.state == MatterState.HANDLING
    assert (matter.assignee, matter.responsible_unit) == (grid_worker, res.responsible_unit)
    event = matter.events.get(kind=EventKind.TRANSITION, to_state=MatterState.HANDLING)
    assert res.responsible_unit.name in event.text
    assert event.data["assignee"] == grid_worker.pk
    assert Notification.objects.filter(
        channel=Notification.Channel.IN_APP, recipient=grid_worker, subject="议事后继续办理"
    ).exists()
    # The person may now resolve it.
    lifecycle.matter_resolve(actor=grid_worker, matter=matter, result="已更换。")


def test_the_person_is_required_and_must_work_where_the_matter_is(item, staff_a, staff_b):
    with pytest.raises(DeliberationError) as exc:
        _vote(item, staff_a)
    assert exc.value.code == "assignee_required"
    with pytest.raises(DomainError) as exc2:
        _vote(item, staff_a, assignee=staff_b)
    assert exc2.value.code == "assignee_invalid"
    assert not Resolution.objects.exists()
    matter = Matter.objects.get(pk=item.matter_id)
    assert (matter.state, matter.assignee_id) == (MatterState.DELIBERATING, None)


def test_a_failed_vote_names_nobody(item, staff_a, grid_worker):
    res = _vote(item, staff_a, votes_for=1, votes_against=2, assignee=grid_worker)
    assert not res.passed and res.assignee is None and res.responsible_unit is None
    assert Matter.objects.get(pk=item.matter_id).assignee_id is None
