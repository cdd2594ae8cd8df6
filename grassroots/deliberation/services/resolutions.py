"""Resolutions: the decision and vote on one agenda item, judged against the
meeting's rule version, with quorum enforced; a passed matter item returns
the matter to handling through `matter_deliberation_decide`, with the
responsible unit, the person who handles it and the due date it names.
Corrections to a recorded tally keep an append-only edit log."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from grassroots.accounts.models import User
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import Conflict
from grassroots.matters.models import ResponsibleUnit
from grassroots.matters.models import State as MatterState
from grassroots.matters.services.deliberation import matter_deliberation_decide

from .. import permissions, rules
from ..errors import DeliberationError, NobodyExpected, QuorumNotMet, TransitionNotAllowed
from ..models import AgendaItem, Choice, Invitation, Resolution, RollCallVote, TallyCorrection
from ..rules import VoteMethod
from ..states import State


@dataclass(frozen=True)
class VoteInput:
    decision: str
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0
    # Roll-call: invitation pk → "for" / "against" / "abstain".
    roll_call: dict[int, str] = field(default_factory=dict)
    responsible_unit: ResponsibleUnit | None = None
    assignee: Any = None
    due_date: datetime.date | None = None


def quorum_status(meeting: Any, present: int) -> dict[str, Any]:
    expected = meeting.expected_count if meeting.expected_count is not None else 0
    n, d = meeting.rules.quorum_numerator, meeting.rules.quorum_denominator
    needed = rules.quorum_needed(expected, n, d)
    return {
        "expected": expected,
        "present": present,
        "needed": needed,
        "met": expected > 0 and rules.at_least(present, expected, n, d),
    }


def _check_can_vote(item: AgendaItem, present: int) -> None:
    meeting = item.meeting
    if meeting.expected_count == 0:
        raise NobodyExpected(
            "本次会议开始时应到人数为 0(尚未邀请参会人员),无法表决。请休会或取消会议,邀请参会人员后另行召开。"
        )
    if item.matter_id is not None and item.matter is not None and item.matter.state != MatterState.DELIBERATING:
        raise Conflict(
            "matter_not_deliberating",
            f"事项 {item.matter.number} 当前为“{MatterState(item.matter.state).label}”,不在议事中,不能表决。",
        )
    quorum = quorum_status(meeting, present)
    if not quorum["met"]:
        raise QuorumNotMet(present, quorum["needed"], quorum["expected"])


def _tally(meeting: Any, data: VoteInput, present: int) -> tuple[int, int, int, list[tuple[Invitation, str]]]:
    if meeting.rules.vote_method == VoteMethod.ROLL_CALL:
        attendees = {inv.pk: inv for inv in meeting.invitations.filter(present=True)}
        ballots: list[tuple[Invitation, str]] = []
        for pk, choice in data.roll_call.items():
            if pk not in attendees:
                raise DeliberationError("not_present", "只有已签到的代表可以参加唱名表决。", field="roll_call")
            if choice not in Choice.values:
                raise DeliberationError("bad_choice", "表决意见无效。", field="roll_call")
            ballots.append((attendees[pk], choice))
        counts = {c: sum(1 for _i, x in ballots if x == c) for c in Choice.values}
        return counts[Choice.FOR], counts[Choice.AGAINST], counts[Choice.ABSTAIN], ballots
    values = (data.votes_for, data.votes_against, data.votes_abstain)
    if any(not isinstance(v, int) or v < 0 for v in values):
        raise DeliberationError("bad_count", "票数须为非负整数。", field="votes_for")
    if sum(values) > present:
        raise DeliberationError(
            "too_many_votes", f"赞成、反对、弃权合计 {sum(values)} 票,超过到会人数 {present} 人。", field="votes_for"
        )
    return data.votes_for, data.votes_against, data.votes_abstain, []


def resolution_record(*, actor: User, item: AgendaItem, data: VoteInput) -> Resolution:
    meeting = item.meeting
    permissions.require_scope(actor, meeting.path)
    permissions.require_convene(actor)
    if meeting.state != State.IN_SESSION:
        raise TransitionNotAllowed("记录决议", State(meeting.state).label)
    if Resolution.objects.filter(item=item).exists():
        raise DeliberationError("already_recorded", "该议题已有决议;如计票有误请使用更正。")
    decision = (data.decision or "").strip()
    if not decision:
        raise DeliberationError("decision_required", "请填写决议内容。", field="decision")
    present = meeting.invitations.filter(present=True).count()
    _check_can_vote(item, present)
    votes_for, against, abstain, ballots = _tally(meeting, data, present)
    outcome = rules.judge(
        threshold=meeting.rules.threshold,
        votes_for=votes_for,
        votes_against=against,
        votes_abstain=abstain,
        present=present,
    )
    if outcome.passed and item.matter_id is not None:
        if data.responsible_unit is None:
            raise DeliberationError("unit_required", "决议通过的事项须确定责任单位。", field="responsible_unit")
        if data.assignee is None:
            raise DeliberationError("assignee_required", "决议通过的事项须确定承办人。", field="assignee")
        if data.due_date is None:
            raise DeliberationError("due_required", "决议通过的事项须确定办理期限。", field="due_date")
    with transaction.atomic():
        resolution = Resolution.objects.create(
            item=item,
            decision=decision,
            votes_for=votes_for,
            votes_against=against,
            votes_abstain=abstain,
            present=present,
            passed=outcome.passed,
            responsible_unit=data.responsible_unit if outcome.passed else None,
            assignee=data.assignee if outcome.passed else None,
            due_date=data.due_date if outcome.passed else None,
            recorded_by=actor,
        )
        RollCallVote.objects.bulk_create(
            [RollCallVote(resolution=resolution, invitation=inv, choice=choice) for inv, choice in ballots]
        )
        if outcome.passed and item.matter is not None:
            assert data.responsible_unit is not None and data.due_date is not None
            matter_deliberation_decide(
                actor=actor,
                matter=item.matter,
                plan=decision,
                responsible_unit=data.responsible_unit,
                assignee=data.assignee,
                due_date=data.due_date,
            )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=resolution,
        detail={"for": votes_for, "against": against, "abstain": abstain, "passed": outcome.passed},
    )
    return resolution


def resolution_correct(
    *,
    actor: User,
    resolution: Resolution,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    reason: str,
) -> Resolution:
    """Correct a miscounted show-of-hands tally while the meeting is in
    session. The outcome may not flip: a matter already sent back to
    handling cannot be un-decided, so a flip needs a new deliberation."""
    meeting = resolution.item.meeting
    permissions.require_scope(actor, meeting.path)
    permissions.require_convene(actor)
    if meeting.state != State.IN_SESSION:
        raise TransitionNotAllowed("更正计票", State(meeting.state).label)
    reason = (reason or "").strip()
    if not reason:
        raise DeliberationError("reason_required", "请说明更正原因。", field="reason")
    if meeting.rules.vote_method == VoteMethod.ROLL_CALL:
        raise DeliberationError("roll_call_fixed", "唱名表决按每位代表的意见计票,不能直接更正票数。")
    values = (votes_for, votes_against, votes_abstain)
    if any(not isinstance(v, int) or v < 0 for v in values):
        raise DeliberationError("bad_count", "票数须为非负整数。", field="votes_for")
    if sum(values) > resolution.present:
        raise DeliberationError(
            "too_many_votes", f"合计 {sum(values)} 票,超过表决时到会人数 {resolution.present} 人。", field="votes_for"
        )
    outcome = rules.judge(
        threshold=meeting.rules.threshold,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        present=resolution.present,
    )
    if outcome.passed != resolution.passed:
        raise DeliberationError(
            "outcome_flip", "更正后表决结果将改变,不能直接更正;请在会上重新表决并另行记录。", field="votes_for"
        )
    old = {"for": resolution.votes_for, "against": resolution.votes_against, "abstain": resolution.votes_abstain}
    new = {"for": votes_for, "against": votes_against, "abstain": votes_abstain}
    if old == new:
        raise DeliberationError("unchanged", "票数没有变化。", field="votes_for")
    with transaction.atomic():
        Resolution.objects.filter(pk=resolution.pk).update(
            votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain
        )
        TallyCorrection.objects.create(resolution=resolution, actor=actor, reason=reason[:200], old=old, new=new)
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=resolution, detail={"old": old, "new": new})
    resolution.refresh_from_db()
    return resolution
