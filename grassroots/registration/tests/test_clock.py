"""Working-day clocks of applications, across the 2026 National Day holiday
(1–7 October off; Saturday 10 October is a make-up working day; 25–27
September is the Mid-Autumn holiday)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.core.workdays import CalendarNotCovered, WorkCalendar, holiday_year_load_provisional
from grassroots.registration.services.clock import (
    Stop,
    application_clock,
    decision_dues,
    due_after,
    due_status,
    review_due_after,
    suspended_working_days,
)
from grassroots.registration.states import State

from . import support_applications as support

pytestmark = pytest.mark.django_db

D = datetime.date


def test_twenty_working_days_across_national_day():
    due = due_after(start=D(2026, 9, 28), days=20, today=D(2026, 9, 28))
    # 29, 30 Sep; 8, 9, 10 (Saturday make-up day), 12–16, 19–23, 26–30 Oct.
    assert due.due == D(2026, 10, 30)
    assert due.provisional is False
    assert due.suspended_working_days == 0


def test_suspension_over_the_holiday_moves_the_due_date_by_its_working_days():
    stops = [Stop(D(2026, 9, 30), D(2026, 10, 9))]
    due = due_after(start=D(2026, 9, 28), days=20, stops=stops, today=D(2026, 10, 12))
    # 30 Sep, 8 and 9 Oct are working days inside the suspension: three days later.
    assert due.suspended_working_days == 3
    assert due.due == D(2026, 11, 4)
    assert suspended_working_days(stops=stops, calendar=WorkCalendar()) == 3


def test_open_suspension_runs_until_today():
    stops = [Stop(D(2026, 9, 30), None)]
    due = due_after(start=D(2026, 9, 28), days=20, stops=stops, today=D(2026, 10, 8))
    # 30 Sep and 8 Oct do not count so far.
    assert due.due == D(2026, 11, 3)
    assert due.running_suspension is True
    assert any("计时中止中" in note for note in due.notes)


def test_extension_adds_ten_working_days_to_the_statutory_limit_only():
    stops = [Stop(D(2026, 10, 20), D(2026, 10, 20), extension_days=10)]
    statutory, promised = decision_dues(
        accepted_on=D(2026, 9, 28), statutory_days=20, promised_days=1, stops=stops, today=D(2026, 10, 20)
    )
    assert statutory.due == D(2026, 11, 13)
    assert statutory.extension_days == 10
    assert promised.due == D(2026, 9, 29)


def test_zero_days_is_the_same_day():
    assert due_after(start=D(2026, 9, 28), days=0, today=D(2026, 9, 28)).due == D(2026, 9, 28)


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        due_after(start=D(2026, 9, 28), days=-1)


def test_review_due_is_five_working_days_and_counts_the_make_up_saturday():
    assert review_due_after(received_on=D(2026, 9, 28)) == D(2026, 10, 10)
    # Received on the Thursday before Mid-Autumn: 28, 29, 30 Sep, 8, 9 Oct.
    assert review_due_after(received_on=D(2026, 9, 24)) == D(2026, 10, 9)


def test_uncovered_year_is_never_guessed():
    with pytest.raises(CalendarNotCovered):
        due_after(start=D(2026, 12, 20), days=20, today=D(2026, 12, 20))


def test_provisional_year_gives_a_provisional_due_date_with_notes():
    holiday_year_load_provisional(year=2027)
    due = due_after(start=D(2026, 12, 20), days=20, today=D(2026, 12, 20))
    assert due.due.year == 2027
    assert due.provisional is True
    assert any("2027" in note for note in due.notes)


@pytest.mark.parametrize(
    ("due", "today", "level", "label"),
    [
        # Due on Friday 9 October: 8 October (after the holiday) is one working day before.
        (D(2026, 10, 9), D(2026, 9, 28), "ok", "剩 4 个工作日"),
        (D(2026, 10, 9), D(2026, 10, 8), "warn", "剩 1 个工作日"),
        (D(2026, 10, 9), D(2026, 10, 9), "warn", "今日到期"),
        # The make-up Saturday 10 October counts as a day late.
        (D(2026, 10, 9), D(2026, 10, 12), "overdue", "已逾期 2 个工作日"),
        (D(2026, 10, 16), D(2026, 10, 17), "overdue", "已逾期"),
    ],
)
def test_due_status_levels(due, today, level, label):
    status = due_status(due=due, today=today)
    assert status.level == level
    assert status.label == label


def test_due_status_stopped_and_none():
    assert due_status(due=D(2026, 10, 9), stopped=True).level == "stopped"
    assert due_status(due=None).level == "none"


def test_application_clock_flags_deemed_acceptance(monkeypatch):
    clock = support.Clock(monkeypatch)
    application = support.submitted()
    assert application.review_due == D(2026, 10, 10)
    assert application_clock(application).deemed_accepted is False
    clock.day(D(2026, 10, 12))
    view = application_clock(application)
    assert view.deemed_accepted is True
    assert view.review.level == "overdue"


def test_application_clock_recomputes_while_suspended(monkeypatch):
    clock = support.Clock(monkeypatch)
    user = support.staff()
    application = support.accepted(user)
    from grassroots.registration.services.applications import clock_suspend

    clock.day(D(2026, 9, 30))
    clock_suspend(actor=user, application=application, kind="hearing", reason="举行听证")
    clock.day(D(2026, 10, 9))
    application.refresh_from_db()
    assert application.state == State.SUSPENDED
    view = application_clock(application)
    assert view.statutory.level == "stopped"
    assert view.suspended_days == 3


@settings(max_examples=40, deadline=None)
@given(
    offset=st.integers(min_value=0, max_value=40),
    days=st.integers(min_value=1, max_value=30),
    length=st.integers(min_value=0, max_value=15),
)
def test_a_suspension_moves_the_due_date_by_exactly_its_working_days(offset, days, length):
    calendar = WorkCalendar()
    start = D(2026, 8, 3)
    suspend_from = start + datetime.timedelta(days=1 + offset)
    stop = Stop(suspend_from, suspend_from + datetime.timedelta(days=length))
    plain = due_after(start=start, days=days, today=start, calendar=calendar)
    moved = due_after(start=start, days=days, stops=[stop], today=start, calendar=calendar)
    assert moved.due >= plain.due
    if suspend_from <= plain.due:
        assert calendar.add_working_days(plain.due, moved.suspended_working_days) == moved.due
    else:
        assert moved.due == plain.due
