"""Appointment services: bookable days from the holiday calendar, slots and
seats, booking, cancelling by token, staff marks and day-before reminders."""

from __future__ import annotations

import datetime
import hashlib
import threading
from typing import Any

import pytest
from django.db import connection, connections

from grassroots.accounts.roles import Role
from grassroots.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from grassroots.core.models import AuditEntry, HolidayYear, Notification
from grassroots.core.workdays import holiday_year_load_provisional
from grassroots.registration import tasks
from grassroots.registration.models import Appointment, Service, SlotTemplate, Window
from grassroots.registration.services import appointments as svc
from grassroots.registration.services import slots as slot_services
from grassroots.registration.services.seed import seed_catalogue
from grassroots.testing.factories import UserFactory

D = datetime.date
# Monday before the 2026 National Day holiday (1–7 October; Saturday 10 October is a make-up workday).
MONDAY = D(2026, 9, 28)
TUESDAY = D(2026, 9, 29)
PHONE = "13800138000"


@pytest.fixture
def today(monkeypatch):
    holder = {"day": MONDAY}
    monkeypatch.setattr(svc, "local_today", lambda: holder["day"])
    return holder


@pytest.fixture
def catalogue(db):
    seed_catalogue()
    window = Window.objects.get(name="社会组织登记窗口")
    return {
        "pne": Service.objects.get(code="pne-establish"),
        "renewal": Service.objects.get(code="renewal"),
        "window": window,
        "nine": window.slot_templates.get(start_time=datetime.time(9, 0)),
        "ten": window.slot_templates.get(start_time=datetime.time(10, 0)),
    }


def book(catalogue, day=TUESDAY, slot="nine", phone=PHONE, name="王秀兰", **kwargs):
    return svc.appointment_book(
        slot=catalogue[slot], date=day, service=catalogue["pne"], name=name, phone=phone, today=MONDAY, **kwargs
    )


# --- Days and slots -----------------------------------------------------------------


@pytest.mark.django_db
def test_bookable_dates_skip_the_national_day_holiday():
    days = svc.bookable_dates(today=MONDAY)
    assert [d.date for d in days] == [
        D(2026, 9, 29),
        D(2026, 9, 30),
        D(2026, 10, 8),
        D(2026, 10, 9),
        D(2026, 10, 10),  # Saturday, make-up workday
        D(2026, 10, 12),
        D(2026, 10, 13),
        D(2026, 10, 14),
        D(2026, 10, 15),
        D(2026, 10, 16),
    ]
    assert not any(d.provisional for d in days)
    assert days[0].label == "2026年9月29日(星期二)"


@pytest.mark.django_db
def test_bookable_dates_stop_where_the_calendar_ends_and_flag_provisional_days():
    # 2027 is not in the package: without a schedule no 2027 day is offered.
    days = svc.bookable_dates(today=D(2026, 12, 24))
    assert days and max(d.date for d in days) <= D(2026, 12, 31)
    assert len(days) < svc.BOOKING_DAYS
    # With 2027 loaded provisionally, its days are offered and flagged.
    holiday_year_load_provisional(year=2027)
    days = svc.bookable_dates(today=D(2026, 12, 24))
    assert len(days) == svc.BOOKING_DAYS
    in_2027 = [d for d in days if d.date.year == 2027]
    assert in_2027 and all(d.provisional and d.notes for d in in_2027)
    assert D(2027, 1, 1) not in [d.date for d in days]  # New Year's Day, provisional holiday
    assert HolidayYear.objects.get(year=2027).confirmed is False


@pytest.mark.django_db
def test_slots_on_a_working_day_and_none_on_a_holiday(catalogue):
    slots = slot_services.slots_for(window=catalogue["window"], date=D(2026, 9, 29))
    assert len(slots) == 13
    assert all(s.remaining == 2 and not s.full for s in slots)
    assert slots[0].label == "09:00-09:30"
    assert slot_services.slots_for(window=catalogue["window"], date=D(2026, 10, 1)) == []
    assert slot_services.slots_for_day(date=D(2026, 10, 3)) == []
    assert len(slot_services.slots_for_day(date=D(2026, 10, 10))) == 13  # make-up Saturday
    catalogue["window"].active = False
    catalogue["window"].save()
    assert slot_services.slots_for(window=catalogue["window"], date=D(2026, 9, 29)) == []


# --- Booking --------------------------------------------------------------------


@pytest.mark.django_db
def test_booking_takes_a_seat_texts_a_cancel_link_and_audits(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appointment, token = book(catalogue, note="需要帮忙填表")
    assert appointment.seat == 0 and appointment.status == Appointment.Status.BOOKED
    assert len(token) >= 22  # 128 random bits, URL-safe base64
    assert appointment.cancel_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in appointment.cancel_token_hash
    assert appointment.code.startswith("260929") and len(appointment.code) == 10
    stored = Appointment.objects.get(pk=appointment.pk)
    assert stored.phone == PHONE and stored.phone_index
    sms = Notification.objects.get(dedupe_key=f"registration.appointment.{appointment.pk}.booked")
    assert sms.channel == Notification.Channel.SMS and sms.address == PHONE
    assert sms.link == f"/socialorg/book/cancel/{token}/"
    assert "2026年9月29日(星期二) 09:00-09:30" in sms.body and appointment.code in sms.body
    assert sms.status == Notification.Status.SENT
    entry = AuditEntry.objects.get(action="registration.appointment_book")
    assert entry.object_id == str(appointment.pk)
    assert PHONE not in str(entry.detail)
    second, _ = book(catalogue, phone="13900139000", name="李建国")
    assert second.seat == 1
    assert slot_services.slots_for(window=catalogue["window"], date=D(2026, 9, 29))[0].full


@pytest.mark.django_db
def test_booking_a_full_slot_is_refused_in_chinese_and_changes_nothing(catalogue):
    book(catalogue)
    book(catalogue, phone="13900139000")
    before = (Appointment.objects.count(), Notification.objects.count(), AuditEntry.objects.count())
    with pytest.raises(Conflict) as caught:
        book(catalogue, phone="13700137000")
    assert caught.value.code == "appointment_slot_full"
    assert caught.value.message == "这个时段已经约满了,请选择其他时段。"
    assert (Appointment.objects.count(), Notification.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "code", "field"),
    [
        ({"day": D(2026, 10, 1)}, "appointment_not_workday", "date"),
        ({"day": D(2026, 10, 4)}, "appointment_not_workday", "date"),
        ({"day": MONDAY}, "appointment_date_past", "date"),
        ({"day": D(2026, 10, 20)}, "appointment_date_out_of_range", "date"),
        ({"phone": "12345"}, "appointment_phone_invalid", "phone"),
        ({"phone": " "}, "appointment_phone_required", "phone"),
        ({"name": "  "}, "appointment_name_required", "name"),
        ({"name": "王" * 51}, "appointment_name_too_long", "name"),
        ({"note": "字" * 201}, "appointment_note_too_long", "note"),
    ],
)
def test_bad_bookings_are_refused_and_nothing_is_written(catalogue, kwargs, code, field):
    with pytest.raises(DomainError) as caught:
        book(catalogue, **kwargs)
    assert caught.value.code == code and caught.value.field == field
    assert Appointment.objects.count() == 0
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_no_visit_service_needs_no_appointment(catalogue):
    with pytest.raises(DomainError) as caught:
        svc.appointment_book(
            slot=catalogue["nine"],
            date=D(2026, 9, 29),
            service=catalogue["renewal"],
            name="张",
            phone=PHONE,
            today=MONDAY,
        )
    assert caught.value.code == "appointment_not_needed"
    assert "无需预约" in caught.value.message
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_one_booking_per_phone_and_day(catalogue):
    book(catalogue)
    with pytest.raises(Conflict) as caught:
        book(catalogue, slot="ten", phone="138-0013-8000")
    assert caught.value.code == "appointment_duplicate"
    assert Appointment.objects.count() == 1
    book(catalogue, day=D(2026, 9, 30))  # another day is fine
    assert Appointment.objects.count() == 2


@pytest.mark.django_db
def test_a_lost_seat_race_is_retried(catalogue, monkeypatch):
    book(catalogue)  # seat 0 taken
    real = svc._free_seat
    calls = []

    def stale(slot, day):
        calls.append(1)
        return 0 if len(calls) == 1 else real(slot, day)  # first look is stale: seat 0 is already taken

    monkeypatch.setattr(svc, "_free_seat", stale)
    appointment, _ = book(catalogue, phone="13900139000")
    assert appointment.seat == 1
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_bookings_of_the_last_seat_give_exactly_one(catalogue, monkeypatch):
    """Two people take the last seat at once, each on its own connection. On
    PostgreSQL both first see the seat free (they wait for each other after
    reading), both insert it, the unique seat constraint lets one through and
    the other retries and finds the slot full. SQLite serialises writers
    (BEGIN IMMEDIATE), so there the second simply reads a full slot."""
    book(catalogue)  # one of two seats left
    postgres = connection.vendor == "postgresql"
    start = threading.Barrier(2)
    after_read = threading.Barrier(2)
    real = svc._free_seat
    reads: list[int | None] = []

    def synchronised(slot, day):
        seat = real(slot, day)
        reads.append(seat)
        if postgres and len(reads) <= 2:
            after_read.wait(timeout=10)
        return seat

    monkeypatch.setattr(svc, "_free_seat", synchronised)
    results: list[str] = []

    def attempt(phone: str) -> None:
        try:
            start.wait(timeout=10)
            book(catalogue, phone=phone)
            results.append("ok")
        except Conflict as exc:
            results.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(p,)) for p in ("13900139000", "13700137000")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["appointment_slot_full", "ok"]
    assert reads == ([1, 1, None] if postgres else [1, None])
    assert Appointment.objects.filter(slot=catalogue["nine"], date=D(2026, 9, 29)).count() == 2
    assert sorted(Appointment.objects.values_list("seat", flat=True)) == [0, 1]


# --- Cancelling ----------------------------------------------------------------


@pytest.mark.django_db
def test_cancel_by_token_frees_the_seat(catalogue, today):
    appointment, token = book(catalogue)
    book(catalogue, phone="13900139000")
    cancelled = svc.appointment_cancel(token=token)
    assert cancelled.status == Appointment.Status.CANCELLED
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.CANCELLED
    assert Notification.objects.filter(dedupe_key=f"registration.appointment.{appointment.pk}.cancelled").exists()
    assert AuditEntry.objects.filter(action="state.change", object_id=str(appointment.pk)).exists()
    again, _ = book(catalogue, phone="13700137000")
    assert again.seat == appointment.seat
    with pytest.raises(Conflict) as caught:
        svc.appointment_cancel(token=token)
    assert caught.value.message == "这个预约已经取消了。"


@pytest.mark.django_db
def test_cancel_with_an_unknown_or_malformed_token(catalogue, today):
    appointment, token = book(catalogue)
    for bad in ("x" * 22, token[:-1], "", "../../etc"):
        with pytest.raises(NotFound):
            svc.appointment_cancel(token=bad)
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.BOOKED


@pytest.mark.django_db
def test_cannot_cancel_a_past_or_handled_appointment(catalogue, today):
    appointment, token = book(catalogue)
    today["day"] = D(2026, 9, 30)
    with pytest.raises(Conflict, match="预约日期已过"):
        svc.appointment_cancel(token=token)
    staff = UserFactory(role=Role.WINDOW_STAFF)
    svc.appointment_mark(actor=staff, appointment=appointment, status=Appointment.Status.ATTENDED)
    today["day"] = D(2026, 9, 29)
    with pytest.raises(Conflict, match="已经办理"):
        svc.appointment_cancel(token=token)
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.ATTENDED


# --- Staff marks ------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_mark_attended_and_correct_to_no_show(catalogue, today):
    appointment, _ = book(catalogue)
    staff: Any = UserFactory(role=Role.WINDOW_STAFF)
    today["day"] = D(2026, 9, 29)
    svc.appointment_mark(actor=staff, appointment=appointment, status=Appointment.Status.ATTENDED)
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.ATTENDED
    with pytest.raises(Conflict, match="已经是"):
        svc.appointment_mark(actor=staff, appointment=appointment, status=Appointment.Status.ATTENDED)
    svc.appointment_mark(actor=staff, appointment=appointment, status=Appointment.Status.NO_SHOW)
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.NO_SHOW
    entries = AuditEntry.objects.filter(action="state.change", object_id=str(appointment.pk), actor_id=staff.pk)
    assert [e.detail["to"] for e in entries.order_by("id")] == ["attended", "no_show"]


@pytest.mark.django_db
def test_marks_are_refused_before_the_day_for_other_roles_and_for_cancelled(catalogue, today):
    appointment, token = book(catalogue)
    staff = UserFactory(role=Role.WINDOW_STAFF)
    with pytest.raises(Conflict, match="还没到"):
        svc.appointment_mark(actor=staff, appointment=appointment, status=Appointment.Status.ATTENDED)
    today["day"] = D(2026, 9, 29)
    with pytest.raises(PermissionDenied):
        svc.appointment_mark(
            actor=UserFactory(role=Role.GRID_WORKER), appointment=appointment, status=Appointment.Status.ATTENDED
        )
    with pytest.raises(DomainError) as caught:
        svc.appointment_mark(actor=staff, appointment=appointment, status=Appointment.Status.CANCELLED)
    assert caught.value.field == "status"
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.BOOKED
    svc.appointment_cancel(token=token)
    appointment.refresh_from_db()
    with pytest.raises(Conflict, match="已被申请人取消"):
        svc.appointment_mark(actor=staff, appointment=appointment, status=Appointment.Status.NO_SHOW)
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.CANCELLED


# --- Reminders ------------------------------------------------------------------


@pytest.mark.django_db
def test_day_before_reminders_follow_working_days_and_are_sent_once(catalogue, today):
    early = book(catalogue, day=D(2026, 10, 8))[0]
    friday = book(catalogue, day=D(2026, 10, 9), phone="13500135000")[0]
    saturday = book(catalogue, day=D(2026, 10, 10), phone="13900139000")[0]
    later = book(catalogue, day=D(2026, 10, 12), phone="13700137000")[0]
    cancelled, token = book(catalogue, day=D(2026, 10, 10), slot="ten", phone="13600136000")
    svc.appointment_cancel(token=token)
    # Wednesday 30 September: the next working day is Thursday 8 October (after the holiday).
    assert svc.appointments_remind(today=D(2026, 9, 30)) == 1
    assert Appointment.objects.get(pk=early.pk).reminder_sent_at is not None
    sms = Notification.objects.get(dedupe_key=f"registration.appointment.{early.pk}.reminder")
    assert sms.body.startswith("提醒:您预约了2026年10月8日(星期四) 09:00-09:30")
    assert Appointment.objects.get(pk=friday.pk).reminder_sent_at is None
    assert svc.appointments_remind(today=D(2026, 10, 8)) == 1
    # Friday 9 October: the next working day is the make-up Saturday.
    assert svc.appointments_remind(today=D(2026, 10, 9)) == 1
    assert Appointment.objects.get(pk=saturday.pk).reminder_sent_at is not None
    assert svc.appointments_remind(today=D(2026, 10, 9)) == 0  # idempotent
    assert Appointment.objects.get(pk=later.pk).reminder_sent_at is None
    assert Appointment.objects.get(pk=cancelled.pk).reminder_sent_at is None
    assert Notification.objects.filter(dedupe_key__endswith=".reminder").count() == 3


@pytest.mark.django_db
def test_reminder_task_is_a_thin_wrapper(catalogue, today):
    book(catalogue)
    assert tasks.remind_appointments.delay().get() == 1
    assert tasks.remind_appointments() == 0


@pytest.mark.django_db
def test_seat_constraint_is_in_the_database(catalogue):
    from django.db import IntegrityError, transaction

    appointment, _ = book(catalogue)
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            slot=appointment.slot,
            date=appointment.date,
            seat=appointment.seat,
            service=appointment.service,
            name="测试",
            phone="13900139000",
            code="X",
            cancel_token_hash="y" * 64,
        )
    assert SlotTemplate.objects.filter(capacity__lt=1).count() == 0
