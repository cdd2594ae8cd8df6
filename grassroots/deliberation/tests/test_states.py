"""The meeting state table and the topic proposal table: every allowed and
every forbidden (action, state) pair, through the services; forbidden ones
answer 409 and change nothing."""

from __future__ import annotations

import pytest

from grassroots.core.errors import DomainError
from grassroots.core.models import AuditEntry
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from ..models import Meeting, MeetingEvent, TopicProposal
from ..rules import Proposers
from ..services import agenda, meetings
from ..states import PROPOSAL_TABLE, TABLE, Action, ProposalAction, ProposalStatus, State, target
from .setup import convene, make_representatives, publish_rules

pytestmark = pytest.mark.django_db

PAIRS = all_pairs(Action, State)


def _meeting_in(state: str, actor, tree) -> Meeting:
    meeting = convene(actor, tree.village_a)
    if state == State.SCHEDULED:
        return meeting
    if state == State.CANCELLED:
        return meetings.meeting_cancel(actor=actor, meeting=meeting, reason="改期")
    meeting = meetings.meeting_open(actor=actor, meeting=meeting)
    if state == State.CLOSED:
        meeting = meetings.meeting_close(actor=actor, meeting=meeting, minutes="纪要")
    if state == State.ADJOURNED:
        meeting = meetings.meeting_adjourn(actor=actor, meeting=meeting, reason="午休")
    return meeting


def _do(action: str, actor, meeting: Meeting) -> Meeting:
    if action == Action.OPEN:
        return meetings.meeting_open(actor=actor, meeting=meeting)
    if action == Action.CLOSE:
        return meetings.meeting_close(actor=actor, meeting=meeting, minutes="会议纪要")
    if action == Action.ADJOURN:
        return meetings.meeting_adjourn(actor=actor, meeting=meeting, reason="到会人数不足")
    if action == Action.RESUME:
        return meetings.meeting_resume(actor=actor, meeting=meeting)
    return meetings.meeting_cancel(actor=actor, meeting=meeting, reason="另行安排")


# The table as the issue describes it; a change to states.py must change this too.
EXPECTED_ALLOWED = {
    (Action.OPEN, State.SCHEDULED),
    (Action.CLOSE, State.IN_SESSION),
    (Action.ADJOURN, State.IN_SESSION),
    (Action.RESUME, State.ADJOURNED),
    (Action.CANCEL, State.SCHEDULED),
    (Action.CANCEL, State.IN_SESSION),
    (Action.CANCEL, State.ADJOURNED),
}


def test_table_matches_the_issue():
    assert_table(TABLE, actions=Action, states=State, expected=EXPECTED_ALLOWED)
    assert len(PAIRS) == 5 * 5


@pytest.mark.parametrize(("action", "state"), PAIRS, ids=pair_ids(PAIRS))
def test_every_pair(tree, staff_a, action, state):
    make_representatives(tree.village_a, tree.unit_a1, 3)
    publish_rules(staff_a, tree.village_a)
    meeting = _meeting_in(state, staff_a, tree)
    assert meeting.state == state
    check_pair(
        TABLE,
        action=action,
        state=state,
        obj=meeting,
        perform=lambda: _do(action, staff_a, meeting),
        snapshot=lambda: (
            Meeting.objects.values_list("state", "state_reason", "closed_at").get(pk=meeting.pk),
            MeetingEvent.objects.count(),
            AuditEntry.objects.count(),
        ),
    )
    if TABLE.allowed(action, state):
        event = MeetingEvent.objects.filter(meeting=meeting).latest("id")
        assert (event.action, event.from_state, event.to_state, event.actor) == (action, state, target(action), staff_a)


def test_stale_page_does_not_act(tree, staff_a):
    make_representatives(tree.village_a, tree.unit_a1, 3)
    publish_rules(staff_a, tree.village_a)
    meeting = convene(staff_a, tree.village_a)
    stale = Meeting.objects.get(pk=meeting.pk)
    meetings.meeting_cancel(actor=staff_a, meeting=meeting, reason="改期")
    with pytest.raises(DomainError) as exc:
        meetings.meeting_open(actor=staff_a, meeting=stale)
    assert exc.value.code == "stale_state"
    assert Meeting.objects.get(pk=meeting.pk).state == State.CANCELLED


# --- Topic proposals (PROPOSAL_TABLE), moderated once through the same engine --------------

PROPOSAL_PAIRS = all_pairs(ProposalAction, ProposalStatus)
PROPOSAL_EXPECTED = {
    (ProposalAction.ACCEPT, ProposalStatus.PENDING),
    (ProposalAction.REJECT, ProposalStatus.PENDING),
}


def _proposal_in(status: str, actor, tree) -> TopicProposal:
    publish_rules(actor, tree.village_a, proposers=Proposers.RESIDENTS)
    proposal = agenda.proposal_submit(
        village=tree.village_a, title="路灯", description="村东路灯不亮", proposer_name="王五"
    )
    if status != ProposalStatus.PENDING:
        accept = status == ProposalStatus.ACCEPTED
        proposal = agenda.proposal_moderate(actor=actor, proposal=proposal, accept=accept, note="已有安排")
    assert proposal.status == status
    return proposal


def _proposal_snapshot(proposal: TopicProposal) -> tuple:
    row = TopicProposal.objects.get(pk=proposal.pk)
    return (row.status, row.moderated_at, row.moderation_note, AuditEntry.objects.count())


def test_proposal_table():
    assert_table(PROPOSAL_TABLE, actions=ProposalAction, states=ProposalStatus, expected=PROPOSAL_EXPECTED)


@pytest.mark.parametrize(("action", "status"), PROPOSAL_PAIRS, ids=pair_ids(PROPOSAL_PAIRS))
def test_every_proposal_pair(tree, staff_a, action, status):
    proposal = _proposal_in(status, staff_a, tree)
    check_pair(
        PROPOSAL_TABLE,
        action=action,
        state=status,
        obj=proposal,
        perform=lambda: agenda.proposal_moderate(
            actor=staff_a, proposal=proposal, accept=action == ProposalAction.ACCEPT, note="理由"
        ),
        snapshot=lambda: _proposal_snapshot(proposal),
        state_field="status",
    )
    if (action, status) in PROPOSAL_EXPECTED:
        row = TopicProposal.objects.get(pk=proposal.pk)
        assert row.moderated_by == staff_a and row.moderated_at is not None and row.moderation_note == "理由"


def test_a_proposal_moderated_meanwhile_is_refused(tree, staff_a):
    proposal = _proposal_in(ProposalStatus.PENDING, staff_a, tree)
    stale = TopicProposal.objects.get(pk=proposal.pk)
    agenda.proposal_moderate(actor=staff_a, proposal=proposal, accept=True)
    with pytest.raises(DomainError) as excinfo:
        agenda.proposal_moderate(actor=staff_a, proposal=stale, accept=False, note="重复")
    assert excinfo.value.status == 409 and excinfo.value.code == "transition_not_allowed"
    assert TopicProposal.objects.get(pk=proposal.pk).status == ProposalStatus.ACCEPTED
