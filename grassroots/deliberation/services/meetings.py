"""Meetings: convene (fixing the rule version in force), invite
representatives (SMS through the outbox with their personal link), the
transition helper (open, close, cancel) and check-in."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.notifications.services import notify_sms
from grassroots.regions.models import Level, Node, Representative

from .. import permissions, selectors, states
from ..errors import DeliberationError, StaleState, TransitionNotAllowed
from ..models import Invitation, Kind, Meeting, WeeklySelection
from ..states import Action, State


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


def meeting_convene(
    *,
    actor: Any,
    node: Node,
    data: MeetingInput,
    host_village: Node | None = None,
    selection: WeeklySelection | None = None,
    request: Any = None,
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
    audit_record(action=AuditAction.CREATE, actor=actor, request=request, obj=meeting, detail={"kind": data.kind})
    return meeting


def personal_link(token: str) -> str:
    return reverse("deliberation:rep-home", args=[token])


def meeting_invite(
    *, actor: Any, meeting: Meeting, representatives: Iterable[Representative], request: Any = None
) -> list[Invitation]:
    """Invite representatives of the host village; each gets an SMS with a
    personal link (token of 128 bits; only its hash is stored)."""
    permissions.require_scope(actor, meeting.path)
    permissions.require_convene(actor)
    if meeting.state not in states.EDITABLE_STATES:
        raise TransitionNotAllowed("邀请代表", State(meeting.state).label)
    created: list[Invitation] = []
    on = timezone.localtime(meeting.starts_at).date()
    allowed = set(selectors.representatives_in_term(village=meeting.host_village, on=on).values_list("pk", flat=True))
    already = set(meeting.invitations.values_list("representative_id", flat=True))
    with transaction.atomic():
        for rep in representatives:
            if rep.pk not in allowed:
                raise DeliberationError(
                    "not_representative", f"{rep.resident.name}不是{meeting.host_village.label}的在任群众代表。"
                )
            if rep.pk in already:
                continue
            token = secrets.token_urlsafe(16)
            invitation = Invitation.objects.create(
                meeting=meeting, representative=rep, token_hash=selectors.token_digest(token)
            )
            already.add(rep.pk)
            created.append(invitation)
            when = timezone.localtime(meeting.starts_at)
            phone = rep.resident.phone
            if phone:
                notify_sms(
                    phone,
                    f"{rep.resident.name}代表:定于{when:%m月%d日 %H:%M}在{meeting.place}召开"
                    f"{meeting.get_kind_display()}“{meeting.title}”,请准时参加。议程与决议见:",
                    subject="议事会议通知",
                    link=personal_link(token),
                    dedupe_key=f"deliberation-invite-{invitation.pk}",
                )
    return created


def _transition(*, actor: Any, meeting: Meeting, action: str, updates: dict[str, Any], request: Any) -> Meeting:
    permissions.require_scope(actor, meeting.path)
    permissions.require_convene(actor)
    if not states.allowed(action, meeting.state):
        raise TransitionNotAllowed(str(Action(action).label), str(State(meeting.state).label))
    new_state = states.target(action)
    updated = Meeting.objects.filter(pk=meeting.pk, state=meeting.state).update(state=new_state, **updates)
    if not updated:
        raise StaleState()
    old = meeting.state
    meeting.refresh_from_db()
    audit_record(
        action=AuditAction.STATE_CHANGE,
        actor=actor,
        request=request,
        obj=meeting,
        detail={"from": old, "to": new_state, "action": action},
    )
    return meeting


def expected_count(meeting: Meeting) -> int:
    """应到人数: for a village meeting every representative in term; for a
    joint meeting, those invited."""
    if meeting.kind == Kind.JOINT:
        return meeting.invitations.count()
    on = timezone.localtime(meeting.starts_at).date()
    return selectors.representatives_in_term(village=meeting.host_village, on=on).count()


def meeting_open(*, actor: Any, meeting: Meeting, request: Any = None) -> Meeting:
    return _transition(
        actor=actor,
        meeting=meeting,
        action=Action.OPEN,
        updates={"opened_at": timezone.now(), "expected_count": expected_count(meeting)},
        request=request,
    )


def meeting_close(*, actor: Any, meeting: Meeting, minutes: str, request: Any = None) -> Meeting:
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
        request=request,
    )


def meeting_cancel(*, actor: Any, meeting: Meeting, request: Any = None) -> Meeting:
    """Matters already put on its agenda stay `deliberating` and can go on
    the next meeting's agenda (they appear among the topic candidates)."""
    return _transition(actor=actor, meeting=meeting, action=Action.CANCEL, updates={}, request=request)


def attendance_set(*, actor: Any, invitation: Invitation, present: bool, request: Any = None) -> Invitation:
    """Check a representative in (or undo a mistaken check-in) while the
    meeting is in session."""
    meeting = invitation.meeting
    permissions.require_scope(actor, meeting.path)
    permissions.require_convene(actor)
    if meeting.state != State.IN_SESSION:
        raise TransitionNotAllowed("签到", State(meeting.state).label)
    if present and invitation.present:
        return invitation
    if not present and invitation.votes.exists():
        raise DeliberationError("already_voted", "该代表已参加唱名表决,不能取消签到。")
    Invitation.objects.filter(pk=invitation.pk).update(
        present=present,
        checked_in_at=timezone.now() if present else None,
        checked_in_by=actor if present else None,
    )
    invitation.refresh_from_db()
    return invitation
