"""评事 appraises the staff who handled the month's collective matters,
including those a meeting (议事) settled and named a person for."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.deliberation.services import agenda, meetings, resolutions
from grassroots.deliberation.tests.setup import convene, make_representatives, publish_rules
from grassroots.matters.models import Matter
from grassroots.matters.services import lifecycle
from grassroots.matters.tests.staff_setup import accepted, new_matter
from grassroots.testing.factories import UserFactory

from ..models import ItemKind
from ..services import sessions

pytestmark = pytest.mark.django_db


def test_the_person_a_meeting_named_is_appraised(tree):
    staff = UserFactory(username="vstaff", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    handler = UserFactory(username="gridder", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1, display_name="王网格")
    reps = make_representatives(tree.village_a, tree.unit_a1, 3)
    publish_rules(staff, tree.village_a)
    matter = accepted(new_matter(tree.unit_a1, actor=staff, title="村集体仓库漏雨"), staff)
    Matter.objects.filter(pk=matter.pk).update(touches_collective=True)
    meeting = convene(staff, tree.village_a)
    meetings.meeting_invite(actor=staff, meeting=meeting, representatives=reps)
    item = agenda.agenda_add_matter(actor=staff, meeting=meeting, matter=matter)
    meetings.meeting_open(actor=staff, meeting=meeting)
    for inv in meeting.invitations.all():
        meetings.attendance_set(actor=staff, invitation=inv, present=True)
    resolutions.resolution_record(
        actor=staff,
        item=item,
        data=resolutions.VoteInput(
            decision="村集体出资修缮仓库屋顶。",
            votes_for=3,
            responsible_unit=Matter.objects.get(pk=matter.pk).responsible_unit,
            assignee=handler,
            due_date=timezone.localdate() + datetime.timedelta(days=10),
        ),
    )
    lifecycle.matter_resolve(actor=handler, matter=Matter.objects.get(pk=matter.pk), result="屋顶已修好。")
    session, _ = sessions.session_create(village=tree.village_a, month=sessions.month_start(timezone.localdate()))
    staff_items = list(session.items.filter(kind=ItemKind.STAFF))
    assert [i.staff for i in staff_items] == [handler]
    assert staff_items[0].label == "王网格"
    assert session.items.filter(kind=ItemKind.MATTER, matter=matter).exists()
