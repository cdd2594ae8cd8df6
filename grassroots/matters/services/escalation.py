"""Supervision of open matters: escalation one level up the tree (by hand, or
by the daily job for overdue matters) and the subdistrict's weekly joint
meeting list (党政联席会议). Neither changes the matter's state."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.roles import Capability
from grassroots.core.actors import is_user
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError
from grassroots.core.workdays import CalendarNotCovered, WorkCalendar
from grassroots.regions.models import Node

from .. import permissions, states
from ..errors import MatterError, StaleState
from ..models import EventKind, Matter
from ..states import State
from .events import event_append
from .joint_topics import topic_source
from .notify import handlers_at, notify_staff, short_title, staff_link

logger = logging.getLogger(__name__)

AUDIT_ESCALATE = "matters.escalate"
AUDIT_JOINT_MEETING = "matters.joint_meeting"
# Matters the daily job escalates: accepted ones nobody took up and those in
# handling. A matter under deliberation waits for its meeting, which sets a
# new due date, so the job leaves it alone.
AUTO_ESCALATION_STATES = frozenset({State.ACCEPTED, State.HANDLING})
JOINT_MEETING_STATES = permissions.JOINT_MEETING_STATES


def _escalate(*, matter: Matter, reason: str, actor: Actor, today: datetime.date, automatic: bool) -> Matter | None:
    """Escalate once. Automatic escalation is idempotent per day: a matter
    escalated today (by hand or by the job) is skipped and None returned."""
    if is_user(actor):
        permissions.require_scope(actor, matter)
        permissions.require(permissions.can_handle(actor))
    if matter.state not in states.OPEN_STATES:
        raise MatterError("escalate_not_open", "只有尚未办结的事项才能升级督办。")
    reason = (reason or "").strip()
    if not reason:
        raise MatterError("reason_required", "请填写升级督办的理由。", field="reason")
    if len(reason) > 200:
        raise MatterError("reason_too_long", "理由不能超过 200 个字。", field="reason")
    source = permissions.escalation_source(matter)
    if source is None:
        raise MatterError("escalation_top", "事项已由街道层面督办,无法继续向上升级;需要统筹的可列入街道联席会议。")
    target = Node.objects.get(path=source.path[: -Node.steplen])
    with transaction.atomic():
        rows = Matter.objects.filter(pk=matter.pk, state__in=states.OPEN_STATES)
        # Conditional on what we read, so two escalations never skip a level.
        rows = (
            rows.filter(escalated_to=matter.escalated_to_id)
            if matter.escalated_to_id
            else rows.filter(escalated_to__isnull=True)
        )
        if automatic:
            rows = rows.filter(Q(escalated_on__isnull=True) | Q(escalated_on__lt=today))
        changed = rows.update(
            escalation_level=F("escalation_level") + 1,
            escalated_to=target,
            escalated_on=today,
            updated_at=timezone.now(),
        )
        if not changed:
            if automatic:
                return None
            raise StaleState()
        fresh = Matter.objects.get(pk=matter.pk)
        if automatic:
            text, public = f"{reason},已自动升级至{target.label}督办。", True
        else:
            text, public = f"升级至{target.label}督办。理由:{reason}", False
        event = event_append(
            matter=fresh,
            kind=EventKind.ESCALATED,
            actor=actor,
            actor_label="" if is_user(actor) else "系统",
            text=text,
            public=public,
            data={"from": source.pk, "to": target.pk, "level": fresh.escalation_level, "automatic": automatic},
        )
        notify_staff(
            users=handlers_at(target, Capability.HANDLE_MATTERS),
            event=event,
            subject="事项升级督办",
            body=f"{fresh.number}“{short_title(fresh.title)}”{reason},已升级至{target.label},请督促办理。",
            link=staff_link(fresh.pk),
            tag="escalated",
        )
        audit_record(
            action=AUDIT_ESCALATE,
            actor=actor if is_user(actor) else None,
            obj=fresh,
            detail={
                "number": fresh.number,
                "from": source.label,
                "to": target.label,
                "level": fresh.escalation_level,
                "automatic": automatic,
            },
        )
    matter.refresh_from_db()
    return matter


def matter_escalate(*, matter: Matter, reason: str, actor: Actor = None) -> Matter:
    """Escalate an open matter one level up the tree: from its current
    escalation target, else from its responsible unit's node, else from its
    village. HANDLE_MATTERS staff at the target get an in-app notification.
    Without an actor it is the system (the daily job)."""
    escalated = _escalate(matter=matter, reason=reason, actor=actor, today=timezone.localdate(), automatic=False)
    assert escalated is not None  # manual escalation raises instead of skipping
    return escalated


def matters_escalate_overdue(*, today: datetime.date | None = None) -> int:
    """The daily job: escalate every overdue matter (accepted or in handling,
    due date before today) one level, at most once a day. Running it again on
    the same day escalates nothing. Returns how many were escalated."""
    today = today or timezone.localdate()
    candidates = (
        Matter.objects.filter(state__in=AUTO_ESCALATION_STATES, due_date__lt=today)
        .filter(Q(escalated_on__isnull=True) | Q(escalated_on__lt=today))
        .select_related("node", "responsible_unit__node", "escalated_to")
        .order_by("due_date", "pk")
    )
    calendar = WorkCalendar()
    count = 0
    for matter in candidates.iterator(chunk_size=200):
        if permissions.escalation_source(matter) is None:
            continue  # already at the subdistrict: the joint meeting is the next step, by hand
        assert matter.due_date is not None
        try:
            late = calendar.working_days_between(matter.due_date, today)
            reason = f"逾期 {late} 个工作日未办结" if late > 0 else "逾期未办结"
        except CalendarNotCovered:
            reason = "逾期未办结"
        try:
            if _escalate(matter=matter, reason=reason, actor=None, today=today, automatic=True):
                count += 1
        except DomainError:
            # One matter that cannot be escalated must not stop the others.
            logger.exception("Could not escalate matter %s", matter.pk)
    return count


def matter_request_joint_meeting(*, actor: Actor, matter: Matter, reason: str) -> Matter:
    """Put an open matter on the subdistrict's weekly joint meeting list
    (党政联席会议), where hard problems are settled on the spot. The
    deliberation module takes it from the list."""
    permissions.require_scope(actor, matter)
    permissions.require(permissions.can_joint_meeting(actor))
    if matter.state not in JOINT_MEETING_STATES:
        raise MatterError("joint_meeting_state", "只有已受理、办理中或议事中的事项才能列入联席会议。")
    if matter.joint_meeting_requested_at is not None:
        raise MatterError("joint_meeting_already", "该事项已列入街道联席会议议题。")
    reason = (reason or "").strip()
    if not reason:
        raise MatterError("reason_required", "请填写列入联席会议的理由。", field="reason")
    if len(reason) > 200:
        raise MatterError("reason_too_long", "理由不能超过 200 个字。", field="reason")
    with transaction.atomic():
        changed = Matter.objects.filter(
            pk=matter.pk, state__in=JOINT_MEETING_STATES, joint_meeting_requested_at__isnull=True
        ).update(joint_meeting_requested_at=timezone.now(), joint_meeting_reason=reason, updated_at=timezone.now())
        if not changed:
            raise StaleState()
        fresh = Matter.objects.get(pk=matter.pk)
        event_append(
            matter=fresh,
            kind=EventKind.JOINT_MEETING,
            actor=actor,
            text="列入街道党政联席会议研究。",
            public=True,
            data={"reason": reason},
        )
        audit_record(
            action=AUDIT_JOINT_MEETING,
            actor=actor,
            obj=fresh,
            detail={"number": fresh.number, "reason": reason},
        )
    matter.refresh_from_db()
    return matter


def joint_topic_take(*, actor: Actor, source: str, key: str) -> Matter:
    """Put another app's topic (joint_topics.py) on the joint-meeting list:
    the source finds or creates its matter, then it is flagged like any
    matter. Taken twice, the second answers the flagged matter unchanged."""
    permissions.require(permissions.can_joint_meeting(actor))
    topic_src = topic_source(source)
    with transaction.atomic():
        matter, reason = topic_src.take(actor, key)
        if matter.joint_meeting_requested_at is None:
            matter = matter_request_joint_meeting(actor=actor, matter=matter, reason=reason[:200])
    return matter
