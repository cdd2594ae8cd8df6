"""Meetings: convene (fixing the rule version in force) and the transition
helper (open, close, adjourn, resume, cancel). Adjourning or cancelling a
started meeting sends its undecided matters back to handling through the
matters service; resuming puts them back on the table. Invitations and
check-in live in `invitations.py` (re-exported here)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.workflow import Workflow
from grassroots.matters.models import State as MatterState
from grassroots.matters.services.deliberation import matter_deliberation_start, matter_deliberation_withdraw
from grassroots.regions.models import Level, Node

from .. import permissions, selectors, states
from ..errors import DeliberationError, NobodyExpected, StaleState, TransitionNotAllowed
from ..models import Kind, Meeting, MeetingEvent, WeeklySelection
from ..states import Action, State
from .invitations import attendance_set, meeting_invite, personal_link

__all__ = [
    "MeetingInput",
    "attendance_set",
    "expected_count",
    "meeting_adjourn",
    "meeting_cancel",
    "meeting_close",
    "meeting_convene",
    "meeting_invite",
    "meeting_open",
    "meeting_resume",
    "personal_link",
]


@dataclass(frozen=True)
class MeetingInput:
    kind: str
    title: str
    starts_at: datetime.datetime
    place: str


def _village_of(node: Node) -> Node:
    if node.level == Level.VILLAGE:
        return node
    if node.level > Level.VILLAGE:
        return Node.objects.get(path=node.path[: 2 * Node.steplen])
    raise DeliberationError("bad_node", "请选择村(社区)。", field="node")


# A meeting is convened ahead of time; the same day is allowed (a talk day
# entered while it is being held), an earlier day or 1900 is a typo, and more
# than a year ahead is one too (ADR 0029).
CONVENE_AHEAD_MAX = datetime.timedelta(days=366)


def _check_starts_at(starts_at: datetime.datetime) -> None:
    now = timezone.now()
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if timezone.localtime(starts_at).date() < timezone.localdate(now):
        raise DeliberationError("starts_in_past", "会议时间不能早于今天。", field="starts_at")
    if starts_at > now + CONVENE_AHEAD_MAX:
        raise DeliberationError("starts_too_late", "会议时间不能晚于一年以后。", field="starts_at")


def meeting_convene(
    *,
    actor: User,
    node: Node,
    data: MeetingInput,
    host_village: Node | None = None,
    selection: WeeklySelection | None = None,
) -> Meeting:
    """Convene a meeting of `node` (a village, or the subdistrict for a joint
    meeting held in `host_village`). The rule version in force on the day
    of convening binds the meeting."""
    permissions.require_scope(actor, node.path)
    permissions.require_convene(actor)
    if data.kind not in Kind.values:
        raise DeliberationError("bad_kind", "会议类型无效。", field="kind")
    if data.kind == Kind.JOINT:
        if node.level != Level.SUBDISTRICT:
            raise DeliberationError("joint_at_subdistrict", "党政联席会议由街道召集。", field="node")
        if host_village is None or not host_village.path.startswith(node.path) or host_village.level != Level.VILLAGE:
            raise DeliberationError("host_required", "请选择举办会议的重点村(社区)。", field="host_village")
    else:
        if node.level != Level.VILLAGE:
            raise DeliberationError("village_required", "协商议事会、民情恳谈日由村(社区)召集。", field="node")
        host_village = node
    title = data.title.strip()
    place = data.place.strip()
    if not title:
        raise DeliberationError("title_required", "请填写会议名称。", field="title")
    if not place:
        raise DeliberationError("place_required", "请填写会议地点。", field="place")
    if data.starts_at is None:
        raise DeliberationError("time_required", "请填写会议时间。", field="starts_at")
    _check_starts_at(data.starts_at)
    rules = selectors.rules_in_force(node=node, on=timezone.localdate())
    if rules is None:
        raise DeliberationError("no_rules", f"{node.label}尚无已发布并施行的议事规则,请先制定规则。", field="node")
    meeting = Meeting.objects.create(
        kind=data.kind,
        node=node,
        host_village=host_village,
        selection=selection,
        rules=rules,
        title=title[:100],
        starts_at=data.starts_at,
        place=place[:100],
        convened_by=actor,
    )
    audit_record(action=AuditAction.CREATE, actor=actor, obj=meeting, detail={"kind": data.kind})
    return meeting


def _require(actor: Actor, meeting: Meeting) -> None:
    """Scope (404), then the capability to convene (403)."""
    permissions.require_scope(actor, meeting.path)
    permissions.require_convene(actor)


WORKFLOW: Workflow[Meeting] = Workflow(
    model=Meeting,
    table=states.TABLE,
    not_allowed=lambda action, state: TransitionNotAllowed(str(Action(action).label), str(State(state).label)),
    stale=StaleState,
    timestamp_field=None,
)


def _precheck(*, actor: Actor, meeting: Meeting, action: str) -> None:
    """Scope (404), capability (403), then the table (409)."""
    _require(actor, meeting)
    WORKFLOW.check(action, meeting)


def _reason(action: str, reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DeliberationError("reason_required", f"请填写{Action(action).label}的原因。", field="reason")
    if len(reason) > 200:
        raise DeliberationError("reason_too_long", "原因不能超过 200 个字。", field="reason")
    return reason


def _transition(*, actor: Actor, meeting: Meeting, action: str, updates: dict[str, Any], reason: str = "") -> Meeting:
    """A meeting changes state only here, through the platform's workflow
    engine: state, event row and audit entry commit together."""
    return WORKFLOW.transition(
        meeting,
        action=action,
        actor=actor,
        permission=partial(_require, actor, meeting),
        updates=updates,
        event=lambda fresh, source, target: MeetingEvent.objects.create(
            meeting=fresh, action=action, from_state=source, to_state=target, actor=user_or_none(actor), text=reason
        ),
        audit_extra={"reason": reason} if reason else None,
    )


def expected_count(meeting: Meeting) -> int:
    """应到人数: for a village meeting every representative in term; for a
    joint meeting, those invited."""
    if meeting.kind == Kind.JOINT:
        return meeting.invitations.count()
    on = timezone.localtime(meeting.starts_at).date()
    return selectors.representatives_in_term(village=meeting.host_village, on=on).count()


def meeting_open(*, actor: Actor, meeting: Meeting) -> Meeting:
    """scheduled → in session, fixing 应到人数. A meeting nobody is expected
    at could never reach a quorum, so it does not open."""
    _precheck(actor=actor, meeting=meeting, action=Action.OPEN)
    expected = expected_count(meeting)
    if expected == 0:
        if meeting.kind == Kind.JOINT:
            raise NobodyExpected("尚未邀请参会人员,应到人数为 0,无法开会表决。请先邀请参会人员。")
        raise NobodyExpected(f"{meeting.host_village.label}目前没有在任群众代表,应到人数为 0,无法开会表决。")
    return _transition(
        actor=actor,
        meeting=meeting,
        action=Action.OPEN,
        updates={"opened_at": timezone.now(), "expected_count": expected},
    )


def meeting_close(*, actor: Actor, meeting: Meeting, minutes: str) -> Meeting:
    minutes = (minutes or "").strip()
    if not minutes:
        permissions.require_scope(actor, meeting.path)
        raise DeliberationError("minutes_required", "请填写会议纪要。", field="minutes")
    if len(minutes) > 20000:
        raise DeliberationError("minutes_too_long", "会议纪要不能超过 20000 字。", field="minutes")
    return _transition(
        actor=actor,
        meeting=meeting,
        action=Action.CLOSE,
        updates={"closed_at": timezone.now(), "minutes": minutes},
    )


def _open_matter_items(meeting: Meeting) -> list[Any]:
    return list(meeting.agenda.filter(matter__state=MatterState.DELIBERATING).select_related("matter"))


def _withdraw_matters(*, actor: Actor, meeting: Meeting, why: str) -> None:
    """The matters still under deliberation on this meeting's agenda go back
    to handling (or to accepted when nobody handles them yet)."""
    for item in _open_matter_items(meeting):
        matter_deliberation_withdraw(actor=actor, matter=item.matter, reason=why[:200])


def meeting_adjourn(*, actor: Actor, meeting: Meeting, reason: str) -> Meeting:
    """in session → adjourned (休会), to continue later. Undecided matters go
    back to handling meanwhile and stay on this agenda for the continuation."""
    _precheck(actor=actor, meeting=meeting, action=Action.ADJOURN)
    reason = _reason(Action.ADJOURN, reason)
    with transaction.atomic():
        meeting = _transition(
            actor=actor,
            meeting=meeting,
            action=Action.ADJOURN,
            updates={"state_reason": reason},
            reason=reason,
        )
        _withdraw_matters(actor=actor, meeting=meeting, why=f"会议休会:{reason}")
    return meeting


def meeting_resume(*, actor: Actor, meeting: Meeting) -> Meeting:
    """adjourned → in session. Undecided agenda matters that are still open
    (accepted or handling) are deliberated again; one that moved on meanwhile
    (resolved, say) stays as it is and cannot be voted on."""
    _precheck(actor=actor, meeting=meeting, action=Action.RESUME)
    with transaction.atomic():
        meeting = _transition(actor=actor, meeting=meeting, action=Action.RESUME, updates={})
        items = meeting.agenda.filter(
            resolution__isnull=True, matter__state__in=[MatterState.ACCEPTED, MatterState.HANDLING]
        ).select_related("matter")
        for item in items:
            assert item.matter is not None  # filtered on the matter's state
            matter_deliberation_start(actor=actor, matter=item.matter)
    return meeting


def meeting_cancel(*, actor: Actor, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting that has not ended, with a reason. Matters on its
    agenda still under deliberation go back to handling; decisions already
    recorded stand."""
    _precheck(actor=actor, meeting=meeting, action=Action.CANCEL)
    reason = _reason(Action.CANCEL, reason)
    with transaction.atomic():
        meeting = _transition(
            actor=actor,
            meeting=meeting,
            action=Action.CANCEL,
            updates={"state_reason": reason},
            reason=reason,
        )
        _withdraw_matters(actor=actor, meeting=meeting, why=f"会议取消:{reason}")
    return meeting
