"""Services: convening under the rule version in force, invitations through
the outbox with personal links, check-in, quorum enforced, resolutions
judged by the meeting's rules and sending matters back to handling, tally
corrections with an edit log, closing, proposals."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.core.errors import DomainError
from grassroots.core.models import Notification
from grassroots.matters.models import Matter
from grassroots.matters.services.units import responsible_unit_default
from grassroots.matters.states import State as MatterState
from grassroots.matters.tests.staff_setup import accepted, handling, new_matter

from ..models import Invitation, Resolution, RuleSet, TallyCorrection, TopicProposal
from ..rules import Proposers, Threshold, VoteMethod
from ..selectors import invitation_by_token, rules_in_force
from ..services import agenda, meetings, resolutions
from ..services.resolutions import VoteInput
from ..states import State
from .setup import convene, make_representatives, publish_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def reps(tree):
    return make_representatives(tree.village_a, tree.unit_a1, 9)


def _open_meeting(actor, village, reps, present, **rule_kwargs):
    publish_rules(actor, village, **rule_kwargs)
    meeting = convene(actor, village)
    meetings.meeting_invite(actor=actor, meeting=meeting, representatives=reps)
    meeting = meetings.meeting_open(actor=actor, meeting=meeting)
    for inv in list(meeting.invitations.order_by("pk"))[:present]:
        meetings.attendance_set(actor=actor, invitation=inv, present=True)
    return meeting


def test_convene_binds_rule_version_in_force(tree, staff_a):
    first = publish_rules(staff_a, tree.village_a)
    meeting = convene(staff_a, tree.village_a)
    second = publish_rules(staff_a, tree.village_a, threshold=Threshold.TWO_THIRDS_PRESENT)
    assert second.version == first.version + 1
    meeting.refresh_from_db()
    assert meeting.rules_id == first.pk
    assert rules_in_force(node=tree.village_a, on=timezone.localdate()) == second
    assert convene(staff_a, tree.village_a).rules_id == second.pk


def test_convene_without_rules_fails_and_creates_nothing(tree, staff_a):
    with pytest.raises(DomainError) as exc:
        convene(staff_a, tree.village_a)
    assert exc.value.code == "no_rules"
    assert not tree.village_a.meetings.exists()


def test_convene_in_other_village_is_not_found(tree, staff_a, staff_b):
    publish_rules(staff_b, tree.village_b)
    with pytest.raises(DomainError) as exc:
        convene(staff_a, tree.village_b)
    assert exc.value.status == 404


def test_bad_quorum_fraction_rejected(tree, staff_a):
    with pytest.raises(DomainError) as exc:
        publish_rules(staff_a, tree.village_a, quorum=(4, 3))
    assert exc.value.code == "bad_quorum"
    assert not RuleSet.objects.exists()


def test_invitation_sends_sms_with_personal_link_and_stores_only_hash(tree, staff_a, reps):
    publish_rules(staff_a, tree.village_a)
    meeting = convene(staff_a, tree.village_a)
    created = meetings.meeting_invite(actor=staff_a, meeting=meeting, representatives=reps[:2])
    assert len(created) == 2
    sms = Notification.objects.filter(channel="sms").order_by("pk")
    assert sms.count() == 2
    link = sms[0].link
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert len(token) >= 16 and token not in (created[0].token_hash or "")
    assert invitation_by_token(token) == created[0]
    assert invitation_by_token("guess") is None
    # Inviting again is idempotent.
    assert meetings.meeting_invite(actor=staff_a, meeting=meeting, representatives=reps[:2]) == []
    assert Notification.objects.filter(channel="sms").count() == 2


def test_other_village_representative_cannot_be_invited(tree, staff_a, reps):
    other = make_representatives(tree.village_b, tree.unit_b1, 1, serial_base=300)
    publish_rules(staff_a, tree.village_a)
    meeting = convene(staff_a, tree.village_a)
    with pytest.raises(DomainError):
        meetings.meeting_invite(actor=staff_a, meeting=meeting, representatives=other)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("threshold", "present", "votes", "passed"),
    [
        (Threshold.TWO_THIRDS_PRESENT, 6, (4, 2, 0), True),
        (Threshold.TWO_THIRDS_PRESENT, 6, (3, 3, 0), False),
        (Threshold.MAJORITY_PRESENT, 6, (4, 0, 2), True),
        (Threshold.MAJORITY_PRESENT, 6, (3, 0, 3), False),
        (Threshold.MAJORITY_CAST, 6, (2, 1, 3), True),
        (Threshold.MAJORITY_CAST, 6, (2, 2, 2), False),
    ],
)
def test_resolution_judged_by_meeting_rules(tree, staff_a, reps, threshold, present, votes, passed):
    meeting = _open_meeting(staff_a, tree.village_a, reps, present, threshold=threshold)
    item = agenda.agenda_add_topic(actor=staff_a, meeting=meeting, title="修缮村口道路")
    res = resolutions.resolution_record(
        actor=staff_a,
        item=item,
        data=VoteInput(decision="同意", votes_for=votes[0], votes_against=votes[1], votes_abstain=votes[2]),
    )
    assert res.passed is passed
    assert res.present == present


@pytest.mark.parametrize("threshold", list(Threshold.values))
def test_no_resolution_one_short_of_quorum(tree, staff_a, reps, threshold):
    meeting = _open_meeting(staff_a, tree.village_a, reps, 5, threshold=threshold)  # 9 expected, 6 needed
    item = agenda.agenda_add_topic(actor=staff_a, meeting=meeting, title="修缮村口道路")
    with pytest.raises(DomainError) as exc:
        resolutions.resolution_record(actor=staff_a, item=item, data=VoteInput(decision="同意", votes_for=5))
    assert exc.value.code == "quorum_not_met" and exc.value.status == 409
    assert not Resolution.objects.exists()
    inv = meeting.invitations.filter(present=False).first()
    meetings.attendance_set(actor=staff_a, invitation=inv, present=True)  # exactly two-thirds
    assert resolutions.resolution_record(actor=staff_a, item=item, data=VoteInput(decision="同意", votes_for=6)).passed


def test_votes_over_present_rejected(tree, staff_a, reps):
    meeting = _open_meeting(staff_a, tree.village_a, reps, 6)
    item = agenda.agenda_add_topic(actor=staff_a, meeting=meeting, title="议题")
    with pytest.raises(DomainError) as exc:
        resolutions.resolution_record(
            actor=staff_a, item=item, data=VoteInput(decision="同意", votes_for=5, votes_against=2)
        )
    assert exc.value.code == "too_many_votes"
    assert not Resolution.objects.exists()


def test_roll_call_counts_each_present_representative(tree, staff_a, reps):
    meeting = _open_meeting(staff_a, tree.village_a, reps, 6, vote_method=VoteMethod.ROLL_CALL)
    item = agenda.agenda_add_topic(actor=staff_a, meeting=meeting, title="议题")
    present = list(meeting.invitations.filter(present=True).order_by("pk"))
    absent = meeting.invitations.filter(present=False).first()
    with pytest.raises(DomainError):
        resolutions.resolution_record(
            actor=staff_a, item=item, data=VoteInput(decision="同意", roll_call={absent.pk: "for"})
        )
    roll = {inv.pk: "for" for inv in present[:4]} | {present[4].pk: "against", present[5].pk: "abstain"}
    res = resolutions.resolution_record(actor=staff_a, item=item, data=VoteInput(decision="同意", roll_call=roll))
    assert (res.votes_for, res.votes_against, res.votes_abstain, res.passed) == (4, 1, 1, True)
    assert res.roll_call.count() == 6


def test_matter_goes_to_deliberating_and_back_to_handling_with_plan(tree, staff_a, reps):
    matter = handling(new_matter(tree.unit_a1, actor=staff_a), staff_a)
    failed_matter = accepted(new_matter(tree.unit_a1, actor=staff_a, title="广场舞噪音"), staff_a)
    meeting = _open_meeting(staff_a, tree.village_a, reps, 6)
    item = agenda.agenda_add_matter(actor=staff_a, meeting=meeting, matter=matter)
    item2 = agenda.agenda_add_matter(actor=staff_a, meeting=meeting, matter=failed_matter)
    assert Matter.objects.get(pk=matter.pk).state == MatterState.DELIBERATING
    assert matter.category is not None
    unit = responsible_unit_default(matter=matter, category=matter.category)
    due = timezone.localdate() + datetime.timedelta(days=10)
    with pytest.raises(DomainError) as exc:
        resolutions.resolution_record(actor=staff_a, item=item, data=VoteInput(decision="由物业清理", votes_for=6))
    assert exc.value.code == "unit_required"
    resolutions.resolution_record(
        actor=staff_a,
        item=item,
        data=VoteInput(decision="由物业清理楼道", votes_for=6, responsible_unit=unit, assignee=staff_a, due_date=due),
    )
    fresh = Matter.objects.get(pk=matter.pk)
    assert (fresh.state, fresh.handling_plan, fresh.due_date, fresh.responsible_unit_id, fresh.assignee_id) == (
        MatterState.HANDLING,
        "由物业清理楼道",
        due,
        unit.pk,
        staff_a.pk,
    )
    res2 = resolutions.resolution_record(
        actor=staff_a, item=item2, data=VoteInput(decision="暂缓", votes_for=2, votes_against=4)
    )
    assert not res2.passed
    assert Matter.objects.get(pk=failed_matter.pk).state == MatterState.DELIBERATING


def test_correction_keeps_edit_log_and_cannot_flip_outcome(tree, staff_a, reps):
    meeting = _open_meeting(staff_a, tree.village_a, reps, 6)
    item = agenda.agenda_add_topic(actor=staff_a, meeting=meeting, title="议题")
    res = resolutions.resolution_record(
        actor=staff_a, item=item, data=VoteInput(decision="同意", votes_for=5, votes_against=1)
    )
    with pytest.raises(DomainError) as exc:
        resolutions.resolution_correct(
            actor=staff_a, resolution=res, votes_for=5, votes_against=0, votes_abstain=1, reason=""
        )
    assert exc.value.code == "reason_required"
    with pytest.raises(DomainError) as exc:
        resolutions.resolution_correct(
            actor=staff_a, resolution=res, votes_for=3, votes_against=3, votes_abstain=0, reason="重数"
        )
    assert exc.value.code == "outcome_flip"
    assert not TallyCorrection.objects.exists()
    res = resolutions.resolution_correct(
        actor=staff_a, resolution=res, votes_for=4, votes_against=1, votes_abstain=1, reason="漏记一张弃权"
    )
    log = TallyCorrection.objects.get()
    assert (log.actor, log.reason, log.old, log.new) == (
        staff_a,
        "漏记一张弃权",
        {"for": 5, "against": 1, "abstain": 0},
        {"for": 4, "against": 1, "abstain": 1},
    )
    assert (res.votes_for, res.votes_abstain) == (4, 1)


def test_close_requires_minutes_then_no_more_votes(tree, staff_a, reps):
    meeting = _open_meeting(staff_a, tree.village_a, reps, 6)
    item = agenda.agenda_add_topic(actor=staff_a, meeting=meeting, title="议题")
    with pytest.raises(DomainError):
        meetings.meeting_close(actor=staff_a, meeting=meeting, minutes=" ")
    assert meeting.state == State.IN_SESSION
    meeting = meetings.meeting_close(actor=staff_a, meeting=meeting, minutes="会议议定一项。")
    assert meeting.state == State.CLOSED and meeting.closed_at
    with pytest.raises(DomainError) as exc:
        resolutions.resolution_record(actor=staff_a, item=item, data=VoteInput(decision="同意", votes_for=6))
    assert exc.value.status == 409


def test_proposal_rules_and_moderation(tree, staff_a):
    with pytest.raises(DomainError):
        agenda.proposal_submit(village=tree.village_a, title="路灯", description="村东路灯不亮", proposer_name="王五")
    publish_rules(staff_a, tree.village_a, proposers=Proposers.REPRESENTATIVES)
    with pytest.raises(DomainError) as exc:
        agenda.proposal_submit(village=tree.village_a, title="路灯", description="村东路灯不亮", proposer_name="王五")
    assert exc.value.code == "not_allowed_to_propose"
    publish_rules(staff_a, tree.village_a, proposers=Proposers.RESIDENTS)
    proposal = agenda.proposal_submit(
        village=tree.village_a,
        title="路灯",
        description="村东路灯不亮",
        proposer_name="王五",
        proposer_phone="13912345678",
    )
    with pytest.raises(DomainError):
        agenda.proposal_moderate(actor=staff_a, proposal=proposal, accept=False)
    proposal = agenda.proposal_moderate(actor=staff_a, proposal=proposal, accept=True)
    assert proposal.status == TopicProposal.Status.ACCEPTED
    meeting = convene(staff_a, tree.village_a)
    item = agenda.agenda_add_proposal(actor=staff_a, meeting=meeting, proposal=proposal)
    assert item.proposal == proposal and item.position == 1
