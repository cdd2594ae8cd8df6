"""The weekly joint meeting (党政联席会议) end to end through the services:
staff invitees (department heads and the key village's leaders) invited by
default, quorum over the invitees, no meeting opened with nobody expected,
invitees managed before the meeting, and a started meeting adjourned,
resumed or cancelled with a reason, its matters going back to handling."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.audit import Action as AuditAction
from grassroots.core.errors import DomainError
from grassroots.core.models import AuditEntry, Notification
from grassroots.matters.models import Matter
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests.staff_setup import accepted, handling, new_matter
from grassroots.testing.factories import UserFactory

from ..models import Invitation, Meeting
from ..services import agenda, invitations, meetings, resolutions, weekly
from ..services.resolutions import VoteInput
from ..states import State
from .setup import make_representatives, publish_rules

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)


@pytest.fixture
def heads(tree, street):
    """Two more department heads besides `street`, one inactive user and a
    mediator (no matter work) at the subdistrict."""
    return [
        UserFactory(username="urban_head", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict),
        UserFactory(username="safety_head", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict),
        UserFactory(username="retired", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, is_active=False),
        UserFactory(username="mediator", role=Role.MEDIATOR, jurisdiction=tree.subdistrict),
    ]


@pytest.fixture
def joint(tree, street, staff_a, staff_b, heads):
    """A confirmed week and its joint meeting in 西张村 with two hard matters:
    one overdue in handling, one accepted and on the joint-meeting list."""
    publish_rules(street, tree.subdistrict)
    overdue = handling(new_matter(tree.unit_a1, actor=street, title="排水沟堵塞"), street, assignee=staff_a)
    Matter.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=3))
    listed = accepted(new_matter(tree.unit_a1, actor=street, title="集体厂房出租"), street)
    Matter.objects.filter(pk=listed.pk).update(joint_meeting_requested_at=timezone.now())
    selection = weekly.weekly_propose(subdistrict=tree.subdistrict, week_start=MONDAY)
    selection = weekly.weekly_confirm(
        actor=street, selection=selection, villages=[tree.village_a, tree.village_b], note="西张村排水问题急"
    )
    return weekly.joint_meeting_convene(
        actor=street,
        selection=selection,
        village=tree.village_a,
        starts_at=timezone.now() + datetime.timedelta(hours=1),
        place="西张村委会",
    )


def _invitees(meeting: Meeting) -> set[str]:
    return set(meeting.invitations.filter(staff__isnull=False).values_list("staff__username", flat=True))


def _matter_states(meeting: Meeting) -> dict[str, str]:
    return dict(meeting.agenda.values_list("matter__title", "matter__state"))


def _item(meeting: Meeting, title: str) -> Any:
    """The agenda item of the matter titled `title`, with its matter."""
    return meeting.agenda.select_related("matter").get(matter__title=title)


def test_joint_meeting_invites_department_heads_and_village_leaders(joint, tree, staff_b):
    assert _invitees(joint) == {"street_staff", "urban_head", "safety_head", "village_a"}
    assert not joint.invitations.filter(staff=staff_b).exists()  # the other key village has its own meeting
    notes = Notification.objects.filter(channel=Notification.Channel.IN_APP, subject="党政联席会议通知")
    assert notes.count() == 4
    assert {n.link for n in notes} == {f"/deliberation/meetings/{joint.pk}/"}
    # Inviting the defaults again changes nothing and notifies nobody twice.
    assert invitations.joint_invite_defaults(actor=joint.convened_by, meeting=joint) == []
    assert notes.count() == 4


def test_quorum_counts_the_invitees_and_a_decision_can_be_recorded(joint, street):
    meeting = meetings.meeting_open(actor=street, meeting=joint)
    assert meeting.expected_count == 4
    rows = list(meeting.invitations.order_by("pk"))
    for inv in rows[:2]:
        invitations.attendance_set(actor=street, invitation=inv, present=True)
    item = _item(meeting, "排水沟堵塞")
    with pytest.raises(DomainError) as exc:
        resolutions.resolution_record(actor=street, item=item, data=VoteInput(decision="疏通", votes_for=2))
    assert exc.value.code == "quorum_not_met"
    assert "到会 2 人" in exc.value.message and "法定人数 3 人" in exc.value.message
    invitations.attendance_set(actor=street, invitation=rows[2], present=True)
    unit = item.matter.responsible_unit
    res = resolutions.resolution_record(
        actor=street,
        item=item,
        data=VoteInput(
            decision="街道城管办牵头疏通排水沟。",
            votes_for=3,
            responsible_unit=unit,
            assignee=item.matter.assignee,
            due_date=timezone.localdate() + datetime.timedelta(days=10),
        ),
    )
    assert res.passed and res.present == 3
    assert Matter.objects.get(pk=item.matter_id).state == MatterState.HANDLING


def test_a_meeting_nobody_is_expected_at_cannot_open(tree, street):
    publish_rules(street, tree.subdistrict)
    meeting = meetings.meeting_convene(
        actor=street,
        node=tree.subdistrict,
        host_village=tree.village_a,
        data=meetings.MeetingInput(
            kind="joint", title="联席会议", starts_at=timezone.now() + datetime.timedelta(hours=1), place="街道"
        ),
    )
    with pytest.raises(DomainError) as exc:
        meetings.meeting_open(actor=street, meeting=meeting)
    assert exc.value.code == "nobody_expected"
    assert "请先邀请参会人员" in exc.value.message
    assert Meeting.objects.get(pk=meeting.pk).state == State.SCHEDULED


def test_a_village_meeting_without_representatives_cannot_open(tree, staff_a):
    publish_rules(staff_a, tree.village_a)
    meeting = meetings.meeting_convene(
        actor=staff_a,
        node=tree.village_a,
        data=meetings.MeetingInput(
            kind="consultation",
            title="协商议事会",
            starts_at=timezone.now() + datetime.timedelta(hours=1),
            place="村委",
        ),
    )
    with pytest.raises(DomainError) as exc:
        meetings.meeting_open(actor=staff_a, meeting=meeting)
    assert exc.value.code == "nobody_expected"
    assert Meeting.objects.get(pk=meeting.pk).state == State.SCHEDULED


def test_no_contradictory_refusal_when_nobody_was_expected(joint, street):
    """A meeting opened before this rule existed (expected 0) is told why it
    cannot vote and what to do, not "0 present, quorum 0 not met"."""
    Meeting.objects.filter(pk=joint.pk).update(state=State.IN_SESSION, expected_count=0)
    joint.refresh_from_db()
    item = joint.agenda.first()
    with pytest.raises(DomainError) as exc:
        resolutions.resolution_record(actor=street, item=item, data=VoteInput(decision="x"))
    assert exc.value.code == "nobody_expected"
    assert "未达到法定人数 0 人" not in exc.value.message
    assert "休会" in exc.value.message or "取消" in exc.value.message


def test_convener_adds_and_removes_invitees_before_the_meeting(joint, tree, street, staff_b, heads):
    reps = make_representatives(tree.village_a, tree.unit_a1, 2)
    grid = UserFactory(username="grid_a1", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    added = invitations.meeting_invite_staff(actor=street, meeting=joint, users=[grid])
    assert [i.staff for i in added] == [grid]
    meetings.meeting_invite(actor=street, meeting=joint, representatives=reps[:1])
    assert joint.invitations.count() == 6
    # Outside the meeting's places, inactive, or without matter work: refused, nothing added.
    for user in (staff_b, heads[2], heads[3]):
        with pytest.raises(DomainError) as exc:
            invitations.meeting_invite_staff(actor=street, meeting=joint, users=[user])
        assert exc.value.code == "not_invitable"
    assert joint.invitations.count() == 6
    invitations.invitation_remove(actor=street, invitation=added[0])
    assert not joint.invitations.filter(staff=grid).exists()
    entry = AuditEntry.objects.get(action="deliberation.uninvite")
    assert (entry.object_type, entry.object_id) == ("deliberation.Meeting", str(joint.pk))
    # Once the meeting has started the expected head count is fixed.
    meeting = meetings.meeting_open(actor=street, meeting=joint)
    with pytest.raises(DomainError) as exc:
        invitations.invitation_remove(actor=street, invitation=meeting.invitations.all()[0])
    assert exc.value.status == 409
    with pytest.raises(DomainError) as exc:
        invitations.meeting_invite_staff(actor=street, meeting=meeting, users=[grid])
    assert exc.value.status == 409
    assert meeting.invitations.count() == 5


def test_village_meetings_invite_representatives_only(tree, staff_a):
    publish_rules(staff_a, tree.village_a)
    meeting = meetings.meeting_convene(
        actor=staff_a,
        node=tree.village_a,
        data=meetings.MeetingInput(
            kind="consultation",
            title="协商议事会",
            starts_at=timezone.now() + datetime.timedelta(hours=1),
            place="村委",
        ),
    )
    with pytest.raises(DomainError) as exc:
        invitations.meeting_invite_staff(actor=staff_a, meeting=meeting, users=[staff_a])
    assert exc.value.code == "staff_not_invited"
    assert not Invitation.objects.exists()


def test_adjourn_needs_a_reason_and_returns_the_matters(joint, street, staff_a):
    meeting = meetings.meeting_open(actor=street, meeting=joint)
    assert set(_matter_states(meeting).values()) == {MatterState.DELIBERATING}
    with pytest.raises(DomainError) as exc:
        meetings.meeting_adjourn(actor=street, meeting=meeting, reason="  ")
    assert exc.value.code == "reason_required"
    assert Meeting.objects.get(pk=meeting.pk).state == State.IN_SESSION
    meeting = meetings.meeting_adjourn(actor=street, meeting=meeting, reason="到会人数不足,改日续会。")
    assert meeting.state == State.ADJOURNED and meeting.state_reason == "到会人数不足,改日续会。"
    # Back where each came from: the assigned one to handling, the unassigned one to accepted.
    assert _matter_states(meeting) == {"排水沟堵塞": MatterState.HANDLING, "集体厂房出租": MatterState.ACCEPTED}
    entry = AuditEntry.objects.filter(object_type="deliberation.Meeting", action=AuditAction.STATE_CHANGE).latest("id")
    assert entry.detail["to"] == State.ADJOURNED and entry.detail["reason"] == "到会人数不足,改日续会。"
    drain = Matter.objects.get(title="排水沟堵塞")
    assert drain.assignee == staff_a
    assert drain.events.filter(to_state=MatterState.HANDLING, text__contains="到会人数不足").exists()
    # The agenda waits for the continuation: the matters stay off other agendas.
    assert not agenda_candidates(street, meeting)
    meeting = meetings.meeting_resume(actor=street, meeting=meeting)
    assert meeting.state == State.IN_SESSION
    assert set(_matter_states(meeting).values()) == {MatterState.DELIBERATING}


def agenda_candidates(user, meeting):
    from ..selectors import topic_candidates

    titles = set(topic_candidates(user=user, village=meeting.host_village).values_list("title", flat=True))
    return titles & {"排水沟堵塞", "集体厂房出租"}


def test_cancel_a_started_meeting_with_a_reason(joint, street):
    meeting = meetings.meeting_open(actor=street, meeting=joint)
    with pytest.raises(DomainError) as exc:
        meetings.meeting_cancel(actor=street, meeting=meeting, reason="")
    assert exc.value.code == "reason_required"
    meeting = meetings.meeting_cancel(actor=street, meeting=meeting, reason="防汛紧急任务,会议取消。")
    assert meeting.state == State.CANCELLED and meeting.state_reason == "防汛紧急任务,会议取消。"
    assert _matter_states(meeting) == {"排水沟堵塞": MatterState.HANDLING, "集体厂房出租": MatterState.ACCEPTED}
    # Free again for the next meeting's agenda.
    assert agenda_candidates(street, meeting) == {"排水沟堵塞", "集体厂房出租"}


def test_cancel_an_adjourned_meeting_and_a_decided_matter_stays_decided(joint, street):
    meeting = meetings.meeting_open(actor=street, meeting=joint)
    for inv in meeting.invitations.all():
        invitations.attendance_set(actor=street, invitation=inv, present=True)
    item = _item(meeting, "排水沟堵塞")
    resolutions.resolution_record(
        actor=street,
        item=item,
        data=VoteInput(
            decision="疏通。",
            votes_for=4,
            responsible_unit=item.matter.responsible_unit,
            assignee=item.matter.assignee,
            due_date=timezone.localdate() + datetime.timedelta(days=5),
        ),
    )
    meeting = meetings.meeting_adjourn(actor=street, meeting=meeting, reason="午休")
    meeting = meetings.meeting_cancel(actor=street, meeting=meeting, reason="另行研究")
    assert _matter_states(meeting) == {"排水沟堵塞": MatterState.HANDLING, "集体厂房出租": MatterState.ACCEPTED}
    drain = Matter.objects.get(title="排水沟堵塞")
    assert drain.handling_plan == "疏通。"  # the decision stands; only the open item went back


def test_resume_skips_a_matter_that_moved_on(joint, street, staff_a):
    meeting = meetings.meeting_open(actor=street, meeting=joint)
    meeting = meetings.meeting_adjourn(actor=street, meeting=meeting, reason="改日续会")
    from grassroots.matters.services import lifecycle

    drain = Matter.objects.get(title="排水沟堵塞")
    lifecycle.matter_resolve(actor=staff_a, matter=drain, result="已疏通。")
    meeting = meetings.meeting_resume(actor=street, meeting=meeting)
    assert _matter_states(meeting) == {"排水沟堵塞": MatterState.RESOLVED, "集体厂房出租": MatterState.DELIBERATING}
    for inv in meeting.invitations.all():
        invitations.attendance_set(actor=street, invitation=inv, present=True)
    item = _item(meeting, "排水沟堵塞")
    with pytest.raises(DomainError) as exc:
        resolutions.resolution_record(actor=street, item=item, data=VoteInput(decision="x", votes_for=4))
    assert exc.value.code == "matter_not_deliberating"
    assert "已办结" in exc.value.message


def test_agenda_cannot_change_while_adjourned(joint, street, tree):
    meeting = meetings.meeting_open(actor=street, meeting=joint)
    meeting = meetings.meeting_adjourn(actor=street, meeting=meeting, reason="改日续会")
    with pytest.raises(DomainError) as exc:
        agenda.agenda_add_topic(actor=street, meeting=meeting, title="其他")
    assert exc.value.status == 409
