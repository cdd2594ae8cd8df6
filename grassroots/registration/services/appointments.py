"""Appointments (预约服务) at the registration window.

Slots repeat on every working day of the State Council's schedule (the
calendar service, `grassroots.core.workdays`): none on holidays, make-up
workdays (调休) included, provisional days flagged. Applicants book one of the
next `BOOKING_DAYS` working days, starting tomorrow (walk-ins are served today
anyway).

Capacity is a database fact: each booking takes a seat number below the
slot's capacity, and ``(slot, date, seat)`` is unique among bookings that are
not cancelled (`appointment_unique_seat`). Two people taking the last seat at
the same moment insert the same seat; the database lets one through and the
other's insert fails, after which it looks again, finds the slot full, and
gets a Chinese "约满" error. Nothing here relies on `select_for_update`,
which SQLite ignores.

The cancel link carries a random token of 128 bits; only its SHA-256 is
stored (`cancel_token_hash`), so the table does not hold working links.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from typing import cast

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.audit import audit_record
from grassroots.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from grassroots.core.fields import BlindIndexField
from grassroots.core.notifications.services import normalise_mobile, notify_sms
from grassroots.core.workdays import CalendarNotCovered, WorkCalendar
from grassroots.core.workflow import Workflow

from ..models import Appointment, Service, SlotTemplate
from ..states import APPOINTMENT_TABLE, AppointmentAction
from .slots import BookableDay, format_day, format_slot, is_workday
from .sms_kinds import APPOINTMENT_BOOKED, APPOINTMENT_CANCELLED, APPOINTMENT_REMINDER

BOOKING_DAYS = 10
# How far ahead to look for BOOKING_DAYS working days (Spring Festival plus weekends fit easily).
LOOKAHEAD_DAYS = 45
MAX_SEAT_ATTEMPTS = 5
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud at the window
TOKEN_BYTES = 16  # 128 bits
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
NAME_MAX = 50
NOTE_MAX = 200

Status = Appointment.Status
STAFF_MARKS = frozenset({Status.ATTENDED, Status.NO_SHOW})


def local_today() -> datetime.date:
    """Today in Asia/Shanghai. Tests replace this to pin the calendar."""
    return timezone.localdate()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Dates and slots -----------------------------------------------------------


def bookable_dates(*, today: datetime.date | None = None, count: int = BOOKING_DAYS) -> list[BookableDay]:
    """The next `count` working days after `today`. Days of a year whose
    holiday schedule is not entered are not offered (never Monday–Friday by
    guesswork); days resting on an unconfirmed schedule are flagged."""
    today = today or local_today()
    calendar = WorkCalendar()
    days: list[BookableDay] = []
    current = today
    for _ in range(LOOKAHEAD_DAYS):
        current += datetime.timedelta(days=1)
        try:
            info = calendar.day(current)
        except CalendarNotCovered:
            break
        if info.is_workday:
            notes: tuple[str, ...] = ()
            if info.provisional:
                notes = ("该日按暂定的节假日安排为工作日,如国务院正式安排调整,窗口会短信通知您。",)
            days.append(BookableDay(current, info.provisional, notes))
            if len(days) >= count:
                break
    return days


# --- Booking ----------------------------------------------------------------


def _new_code(day: datetime.date) -> str:
    return f"{day:%y%m%d}" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))


def _free_seat(slot: SlotTemplate, day: datetime.date) -> int | None:
    taken = set(
        Appointment.objects.filter(slot=slot, date=day).exclude(status=Status.CANCELLED).values_list("seat", flat=True)
    )
    return next((seat for seat in range(slot.capacity) if seat not in taken), None)


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("appointment_name_required", "请填写姓名。", field="name")
    if len(name) > NAME_MAX:
        raise DomainError("appointment_name_too_long", f"姓名不能超过 {NAME_MAX} 个字。", field="name")
    return name


def _clean_phone(phone: str) -> str:
    if not (phone or "").strip():
        raise DomainError("appointment_phone_required", "请填写手机号码,用于接收预约短信。", field="phone")
    try:
        return normalise_mobile(phone)
    except DomainError:
        raise DomainError("appointment_phone_invalid", "请填写正确的 11 位手机号码。", field="phone") from None


def _check_bookable(*, slot: SlotTemplate, date: datetime.date, service: Service, today: datetime.date) -> None:
    if service.no_visit:
        raise DomainError(
            "appointment_not_needed", f"“{service.name}”不见面办理,直接网上申请即可,无需预约。", field="service"
        )
    if not slot.window.active:
        raise DomainError("appointment_window_closed", "该窗口暂停预约,请选择其他时段。", field="slot")
    if date <= today:
        raise DomainError("appointment_date_past", "只能预约明天及以后的日期。", field="date")
    if date not in {d.date for d in bookable_dates(today=today)}:
        if not is_workday(date):
            raise DomainError("appointment_not_workday", f"{format_day(date)}不是工作日,窗口不办公。", field="date")
        raise DomainError(
            "appointment_date_out_of_range", f"只能预约今后 {BOOKING_DAYS} 个工作日内的日期。", field="date"
        )


def appointment_book(
    *,
    slot: SlotTemplate,
    date: datetime.date,
    service: Service,
    name: str,
    phone: str,
    note: str = "",
    today: datetime.date | None = None,
) -> tuple[Appointment, str]:
    """Book a seat in `slot` on `date`. Returns the appointment and the raw
    cancel token (shown once, sent by SMS; only its hash is kept)."""
    today = today or local_today()
    name = _clean_name(name)
    phone = _clean_phone(phone)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise DomainError("appointment_note_too_long", f"备注不能超过 {NOTE_MAX} 个字。", field="note")
    _check_bookable(slot=slot, date=date, service=service, today=today)

    phone_index = cast(BlindIndexField, Appointment._meta.get_field("phone_index")).index_of(phone)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        if Appointment.objects.filter(phone_index=phone_index, date=date, status=Status.BOOKED).exists():
            raise Conflict(
                "appointment_duplicate", "这个手机号当天已经有预约。如需改时间,请先用短信里的链接取消原预约。"
            )
        appointment: Appointment | None = None
        for _attempt in range(MAX_SEAT_ATTEMPTS):
            seat = _free_seat(slot, date)
            if seat is None:
                raise Conflict("appointment_slot_full", "这个时段已经约满了,请选择其他时段。")
            try:
                with transaction.atomic():  # a savepoint: a lost race leaves the outer block usable
                    appointment = Appointment.objects.create(
                        slot=slot,
                        date=date,
                        seat=seat,
                        service=service,
                        name=name,
                        phone=phone,
                        note=note,
                        code=_new_code(date),
                        cancel_token_hash=token_hash(token),
                    )
                break
            except IntegrityError:
                continue  # someone took this seat (or the code) meanwhile: look again
        if appointment is None:
            raise Conflict("appointment_busy", "预约的人较多,请稍后再试。")
        notify_sms(
            phone,
            f"您已预约{format_day(date)} {format_slot(slot)}到{slot.window.name}"
            f"({slot.window.location or '政务服务中心'})办理“{service.name}”,预约号 {appointment.code}。"
            "请按一次性告知单准备材料。如需取消,请点击链接:",
            kind=APPOINTMENT_BOOKED,
            params={
                "date": format_day(date),
                "time": format_slot(slot),
                "window": slot.window.name,
                "service": service.name,
                "code": appointment.code,
            },
            subject="登记窗口预约确认",
            link=reverse("registration-public:appt-cancel", args=[token]),
            dedupe_key=f"registration.appointment.{appointment.pk}.booked",
        )
        audit_record(
            action="registration.appointment_book",
            obj=appointment,
            detail={"date": date, "slot": slot.pk, "seat": seat, "service": service.code, "code": appointment.code},
        )
    return appointment, token


def appointment_for_token(*, token: str) -> Appointment | None:
    if not TOKEN_RE.match(token or ""):
        return None
    return (
        Appointment.objects.select_related("slot__window", "service")
        .filter(cancel_token_hash=token_hash(token))
        .first()
    )


def _not_allowed(action: str, state: str) -> Conflict:
    if action == AppointmentAction.CANCEL:
        if state == Status.CANCELLED:
            return Conflict("appointment_already_cancelled", "这个预约已经取消了。")
        return Conflict("appointment_already_handled", "这个预约已经办理,不能再取消。")
    if state == Status.CANCELLED:
        return Conflict("appointment_cancelled", "这个预约已被申请人取消。")
    return Conflict("appointment_mark_same", f"这个预约已经是“{Status(state).label}”。")


WORKFLOW: Workflow[Appointment] = Workflow(
    model=Appointment,
    table=APPOINTMENT_TABLE,
    not_allowed=_not_allowed,
    stale=lambda: Conflict("appointment_changed", "这个预约的状态刚刚发生了变化,请刷新页面。"),
    state_field="status",
    timestamp_field=None,
)
MARKS = {Status.ATTENDED: AppointmentAction.MARK_ATTENDED, Status.NO_SHOW: AppointmentAction.MARK_NO_SHOW}


def appointment_cancel(*, token: str, today: datetime.date | None = None) -> Appointment:
    """Cancel by the link's token; the seat is free again at once."""
    today = today or local_today()
    appointment = appointment_for_token(token=token)
    if appointment is None:
        raise NotFound("未找到这个预约,取消链接可能不完整或已失效。")
    WORKFLOW.check(AppointmentAction.CANCEL, appointment)
    if appointment.date < today:
        raise Conflict("appointment_date_past", "预约日期已过,无需取消。")

    def notify(appointment: Appointment, _event: None) -> None:
        notify_sms(
            appointment.phone,
            f"您{format_day(appointment.date)} {format_slot(appointment.slot)}的预约"
            f"(预约号 {appointment.code})已取消。",
            kind=APPOINTMENT_CANCELLED,
            params={
                "date": format_day(appointment.date),
                "time": format_slot(appointment.slot),
                "code": appointment.code,
            },
            subject="登记窗口预约取消",
            dedupe_key=f"registration.appointment.{appointment.pk}.cancelled",
        )

    return WORKFLOW.transition(
        appointment, action=AppointmentAction.CANCEL, actor=None, within=notify, audit_extra={"by": "applicant"}
    )


def appointment_mark(
    *,
    actor: Actor,
    appointment: Appointment,
    status: str,
    today: datetime.date | None = None,
) -> Appointment:
    """Window staff mark a booking attended or no-show (on or after its day).
    A wrong mark can be corrected to the other one."""
    if not user_can(actor, Capability.WINDOW_WORK):
        raise PermissionDenied()
    if status not in STAFF_MARKS:
        raise DomainError("appointment_mark_invalid", "只能标记为“已到场”或“未到场”。", field="status")
    today = today or local_today()
    action = MARKS[Status(status)]
    WORKFLOW.check(action, appointment)
    if appointment.date > today:
        raise Conflict("appointment_not_yet", "预约日期还没到,不能标记到场情况。")
    return WORKFLOW.transition(appointment, action=action, actor=actor)


def appointments_remind(*, today: datetime.date | None = None) -> int:
    """Text every booking of the next working day that has not been reminded
    yet. Idempotent: each booking is claimed by one conditional update, and
    the SMS carries a dedupe key. Returns how many were reminded."""
    today = today or local_today()
    try:
        next_day = WorkCalendar().add_working_days(today, 1)
    except CalendarNotCovered:
        next_day = today + datetime.timedelta(days=1)
    due = (
        Appointment.objects.filter(
            status=Status.BOOKED, reminder_sent_at__isnull=True, date__gt=today, date__lte=next_day
        )
        .select_related("slot__window", "service")
        .order_by("date", "slot__start_time", "seat")
    )
    reminded = 0
    for appointment in due:
        with transaction.atomic():
            claimed = Appointment.objects.filter(
                Q(pk=appointment.pk), Q(status=Status.BOOKED), Q(reminder_sent_at__isnull=True)
            ).update(reminder_sent_at=timezone.now())
            if not claimed:
                continue
            window = appointment.slot.window
            notify_sms(
                appointment.phone,
                f"提醒:您预约了{format_day(appointment.date)} {format_slot(appointment.slot)}"
                f"到{window.name}({window.location or '政务服务中心'})办理“{appointment.service.name}”,"
                f"预约号 {appointment.code}。请带齐材料和身份证按时到达。",
                kind=APPOINTMENT_REMINDER,
                params={
                    "date": format_day(appointment.date),
                    "time": format_slot(appointment.slot),
                    "window": window.name,
                    "service": appointment.service.name,
                    "code": appointment.code,
                },
                subject="登记窗口预约提醒",
                dedupe_key=f"registration.appointment.{appointment.pk}.reminder",
            )
        reminded += 1
    return reminded
