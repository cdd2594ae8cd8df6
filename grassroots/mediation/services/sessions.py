"""Mediation sessions (scheduled, held with attendees and notes, or
cancelled) and the judicial confirmation (司法确认) of an agreement."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record

from .. import permissions
from ..errors import MediationError, StaleState
from ..models import Agreement, DisputeCase, EventKind, JudicialStatus, Party, Session, SessionStatus
from ..states import Action, Activity, State
from .events import event_append
from .workflow import _check_activity, require_team, transition

# 《人民调解法》第33条: the parties apply jointly within 30 days of the agreement taking effect.
JUDICIAL_APPLICATION_DAYS = 30
SCHEDULE_WINDOW = datetime.timedelta(days=366)


def session_schedule(*, actor: User, case: DisputeCase, scheduled_at: datetime.datetime, place: str) -> Session:
    permissions.require_work(actor, case)
    _check_activity(Activity.SCHEDULE_SESSION, case)
    now = timezone.now()
    if scheduled_at is None or abs(scheduled_at - now) > SCHEDULE_WINDOW:
        raise MediationError("scheduled_at_invalid", "请填写一年以内的调解时间。", field="scheduled_at")
    place = (place or "").strip()
    if not place or len(place) > 100:
        raise MediationError("place_required", "请填写调解地点(不超过 100 字)。", field="place")
    with transaction.atomic():
        session = Session.objects.create(case=case, scheduled_at=scheduled_at, place=place, created_by=actor)
        event_append(
            case=case,
            kind=EventKind.SESSION,
            actor=actor,
            text=f"安排调解:{timezone.localtime(scheduled_at):%Y-%m-%d %H:%M},{place}",
            data={"session": session.pk},
        )
        audit_record(action=AuditAction.CREATE, actor=actor, obj=session)
    return session


def session_record(
    *,
    actor: User,
    session: Session,
    notes: str,
    parties_present: list[Party],
    staff_present: list[Any] | None = None,
    other_attendees: str = "",
    held_at: datetime.datetime | None = None,
) -> Session:
    """Record a scheduled session as held. The first session of an accepted
    case starts the mediation (transition START)."""
    case = session.case
    permissions.require_work(actor, case)
    _check_activity(Activity.RECORD_SESSION, case)
    if session.status != SessionStatus.SCHEDULED:
        raise MediationError("session_not_scheduled", f"该次调解已{session.get_status_display()},不能再记录。")
    notes = (notes or "").strip()
    if len(notes) < 5 or len(notes) > 5000:
        raise MediationError("notes_required", "请填写调解记录(5 到 5000 字)。", field="notes")
    case_parties = {p.pk for p in case.parties.all()}
    parties = list({p.pk: p for p in parties_present}.values())
    if not parties or any(p.pk not in case_parties for p in parties):
        raise MediationError("parties_present_invalid", "请选择本案到场的当事人(至少一位)。", field="parties_present")
    team = permissions.team_ids(case) | {actor.pk}
    staff = list({u.pk: u for u in (staff_present or [actor])}.values())
    if any(u.pk not in team for u in staff):
        raise MediationError("staff_present_invalid", "到场调解人员须是本案调解团队成员。", field="staff_present")
    other_attendees = (other_attendees or "").strip()
    if len(other_attendees) > 200:
        raise MediationError("other_attendees_too_long", "其他参加人不能超过 200 字。", field="other_attendees")
    now = timezone.now()
    held_at = held_at or min(session.scheduled_at, now)
    if held_at > now + datetime.timedelta(minutes=5):
        raise MediationError("held_at_future", "调解时间不能晚于现在。", field="held_at")
    if case.state == State.ACCEPTED:
        require_team(case)
    with transaction.atomic():
        updated = Session.objects.filter(pk=session.pk, status=SessionStatus.SCHEDULED).update(
            status=SessionStatus.HELD, held_at=held_at, notes=notes, other_attendees=other_attendees
        )
        if updated != 1:
            raise StaleState()
        session.status, session.held_at, session.notes, session.other_attendees = (
            SessionStatus.HELD,
            held_at,
            notes,
            other_attendees,
        )
        session.parties_present.set(parties)
        session.staff_present.set(staff)
        event_append(
            case=case,
            kind=EventKind.SESSION,
            actor=actor,
            text=f"调解({timezone.localtime(held_at):%Y-%m-%d %H:%M}):到场当事人 " + "、".join(p.name for p in parties),
            data={"session": session.pk},
        )
        if case.state == State.ACCEPTED:
            transition(actor=actor, case=case, action=Action.START, text="首次调解")
        else:
            audit_record(action=AuditAction.UPDATE, actor=actor, obj=session, detail={"held": True})
    return session


def session_cancel(*, actor: Actor, session: Session, reason: str) -> Session:
    case = session.case
    permissions.require_work(actor, case)
    _check_activity(Activity.CANCEL_SESSION, case)
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise MediationError("reason_required", "请填写取消原因(不超过 200 字)。", field="reason")
    with transaction.atomic():
        if (
            Session.objects.filter(pk=session.pk, status=SessionStatus.SCHEDULED).update(
                status=SessionStatus.CANCELLED, cancel_reason=reason
            )
            != 1
        ):
            raise MediationError("session_not_scheduled", "该次调解已记录或已取消。")
        session.status, session.cancel_reason = SessionStatus.CANCELLED, reason
        event_append(
            case=case,
            kind=EventKind.SESSION,
            actor=actor,
            text=f"取消调解({timezone.localtime(session.scheduled_at):%Y-%m-%d %H:%M}):{reason}",
            data={"session": session.pk},
        )
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=session, detail={"cancelled": True})
    return session


def _agreement(case: DisputeCase) -> Agreement:
    agreement = Agreement.objects.filter(case=case).first()
    if agreement is None:
        raise MediationError("agreement_missing", "本案没有调解协议。")
    return agreement


def judicial_confirmation_apply(*, actor: Actor, case: DisputeCase, applied_on: datetime.date, court: str) -> Agreement:
    """The parties applied to a court to confirm the agreement (司法确认)."""
    permissions.require_work(actor, case)
    _check_activity(Activity.JC_APPLY, case)
    agreement = _agreement(case)
    if agreement.judicial_status != JudicialStatus.NOT_APPLIED:
        raise MediationError("judicial_already_applied", "本协议已申请过司法确认。")
    court = (court or "").strip()
    if not court or len(court) > 100:
        raise MediationError("court_required", "请填写受理申请的人民法院。", field="court")
    last_day = agreement.signed_on + datetime.timedelta(days=JUDICIAL_APPLICATION_DAYS)
    if applied_on is None or applied_on < agreement.signed_on or applied_on > timezone.localdate():
        raise MediationError("applied_on_invalid", "申请日期应在协议签订日期和今天之间。", field="applied_on")
    if applied_on > last_day:
        raise MediationError(
            "judicial_too_late",
            f"司法确认应自调解协议生效之日起三十日内申请(《人民调解法》第三十三条),本协议最迟 {last_day:%Y-%m-%d}。",
            field="applied_on",
        )
    with transaction.atomic():
        if (
            Agreement.objects.filter(pk=agreement.pk, judicial_status=JudicialStatus.NOT_APPLIED).update(
                judicial_status=JudicialStatus.APPLIED, judicial_applied_on=applied_on, judicial_court=court
            )
            != 1
        ):
            raise StaleState()
        agreement.judicial_status, agreement.judicial_applied_on, agreement.judicial_court = (
            JudicialStatus.APPLIED,
            applied_on,
            court,
        )
        event_append(
            case=case, kind=EventKind.JUDICIAL, actor=actor, text=f"{applied_on:%Y-%m-%d} 向{court}申请司法确认"
        )
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=agreement, detail={"judicial": "applied"})
    return agreement


def judicial_confirmation_decide(
    *,
    actor: Actor,
    case: DisputeCase,
    confirmed: bool,
    decided_on: datetime.date,
    note: str = "",
) -> Agreement:
    """The court's ruling: confirmed valid, or rejected (the parties may then
    change the agreement through mediation or sue, 《人民调解法》第33条)."""
    permissions.require_work(actor, case)
    _check_activity(Activity.JC_RESULT, case)
    agreement = _agreement(case)
    if agreement.judicial_status != JudicialStatus.APPLIED:
        raise MediationError("judicial_not_applied", "本协议尚未申请司法确认,或已登记结果。")
    assert agreement.judicial_applied_on is not None
    if decided_on is None or decided_on < agreement.judicial_applied_on or decided_on > timezone.localdate():
        raise MediationError("decided_on_invalid", "裁定日期应在申请日期和今天之间。", field="decided_on")
    note = (note or "").strip()
    if len(note) > 300 or (not confirmed and not note):
        raise MediationError("note_required", "驳回时请填写裁定说明(不超过 300 字)。", field="note")
    status = JudicialStatus.CONFIRMED if confirmed else JudicialStatus.REJECTED
    with transaction.atomic():
        if (
            Agreement.objects.filter(pk=agreement.pk, judicial_status=JudicialStatus.APPLIED).update(
                judicial_status=status, judicial_decided_on=decided_on, judicial_note=note
            )
            != 1
        ):
            raise StaleState()
        agreement.judicial_status, agreement.judicial_decided_on, agreement.judicial_note = status, decided_on, note
        event_append(
            case=case,
            kind=EventKind.JUDICIAL,
            actor=actor,
            text=f"{decided_on:%Y-%m-%d} 法院{agreement.get_judicial_status_display()}{('。' + note) if note else ''}",
        )
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=agreement, detail={"judicial": status})
    return agreement
