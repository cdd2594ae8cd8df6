"""The clocks of a registration application, counted in working days.

Rules (《行政许可法》):
- Art. 32: incomplete materials are notified once and completely within
  5 days of receipt; if not, the application counts as accepted from the day
  the materials were received (`review_due`, `deemed_accepted`).
- Art. 42: a decision within 20 days, extendable once by 10 days with the
  head's approval and the reason told to the applicant; the registration
  regulations set 60 days (`Service.statutory_days`), and the window promises
  fewer (`Service.promised_days`, 0 = the same day).
- Art. 45: time for hearings, expert review, inspection and the like does not
  count: a suspension stops the clock and the due dates move on by the
  working days it covered.
- Art. 82: these limits are working days (the core calendar: State Council
  schedule with make-up workdays; an uncovered year raises
  `CalendarNotCovered`, never a silent Monday–Friday).

Counting conventions (those of `grassroots.core.workdays`): a deadline of N
working days after a start day is the N-th working day strictly after it
(the start day never counts; N = 0 is the start day itself). A suspension
covers the days from `started_on` to `ended_on`, both included: none of its
working days count. A suspension still open counts as running until today
(the due dates move on every working day it lasts).

The functions take plain values (`Stop`), not rows, so that they can be
tested without a database and reused by list pages with one `WorkCalendar`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from django.utils import timezone

from grassroots.core.workdays import ONE_DAY, WorkCalendar

from ..states import State

if TYPE_CHECKING:
    from ..models import Application, ClockStop

REVIEW_DAYS = 5  # Art. 32
EXTENSION_DAYS = 10  # Art. 42, once
WARN_WORKING_DAYS = 1  # warn when this many working days or fewer are left

Level = Literal["none", "ok", "warn", "overdue", "stopped", "unknown"]


@dataclass(frozen=True)
class Stop:
    """A suspension (`extension_days == 0`) or an extension (Art. 42)."""

    started_on: datetime.date
    ended_on: datetime.date | None = None
    extension_days: int = 0

    @property
    def is_extension(self) -> bool:
        return self.extension_days > 0


@dataclass(frozen=True)
class Due:
    due: datetime.date
    provisional: bool
    notes: list[str] = field(default_factory=list)
    suspended_working_days: int = 0
    extension_days: int = 0
    running_suspension: bool = False


@dataclass(frozen=True)
class DueStatus:
    """How a due date looks today: level `ok`, `warn` (≤ 1 working day left),
    `overdue`, `stopped` (the clock is suspended) or `none` (no due date)."""

    level: Level
    label: str
    days_left: int | None = None

    @property
    def css(self) -> str:
        return {
            "ok": "text-bg-light border",
            "warn": "text-bg-warning",
            "overdue": "text-bg-danger",
            "stopped": "text-bg-secondary",
            "unknown": "text-bg-secondary",
        }.get(self.level, "text-bg-light border")


def stops_of(rows: Iterable[ClockStop]) -> list[Stop]:
    return [Stop(row.started_on, row.ended_on, row.extension_days) for row in rows]


def _suspended(day: datetime.date, ranges: Sequence[tuple[datetime.date, datetime.date]]) -> bool:
    return any(start <= day <= end for start, end in ranges)


def due_after(
    *,
    start: datetime.date,
    days: int,
    stops: Sequence[Stop] = (),
    extend: bool = True,
    today: datetime.date | None = None,
    calendar: WorkCalendar | None = None,
) -> Due:
    """The `days`-th working day after `start`, skipping the working days of
    every suspension and adding the days of extensions (when `extend`)."""
    if days < 0:
        raise ValueError("days must not be negative")
    calendar = calendar or WorkCalendar()
    today = today or timezone.localdate()
    ranges: list[tuple[datetime.date, datetime.date]] = []
    running = False
    extension = 0
    for stop in stops:
        if stop.is_extension:
            extension += stop.extension_days if extend else 0
            continue
        end = stop.ended_on
        if end is None:
            running = True
            end = max(today, stop.started_on)
        if end >= stop.started_on:
            ranges.append((stop.started_on, end))
    total = days + extension
    current = start
    remaining = total
    skipped = 0
    while remaining > 0:
        current += ONE_DAY
        if not calendar.is_workday(current):
            continue
        if _suspended(current, ranges):
            skipped += 1
            continue
        remaining -= 1
    provisional = calendar.provisional_days_in(start, current)
    notes = calendar._notes(provisional) if provisional else []
    if running:
        notes = [*notes, "计时中止中,期限随中止天数顺延,恢复计时后确定。"]
    return Due(
        due=current,
        provisional=bool(provisional),
        notes=notes,
        suspended_working_days=skipped,
        extension_days=extension,
        running_suspension=running,
    )


def review_due_after(*, received_on: datetime.date, calendar: WorkCalendar | None = None) -> datetime.date:
    """Art. 32: the last day to notify missing materials (5 working days)."""
    return (calendar or WorkCalendar()).add_working_days(received_on, REVIEW_DAYS)


def suspended_working_days(
    *, stops: Sequence[Stop], today: datetime.date | None = None, calendar: WorkCalendar | None = None
) -> int:
    """Working days covered by the suspensions (an open one up to today)."""
    calendar = calendar or WorkCalendar()
    today = today or timezone.localdate()
    days: set[datetime.date] = set()
    for stop in stops:
        if stop.is_extension:
            continue
        day = stop.started_on
        end = stop.ended_on or max(today, stop.started_on)
        while day <= end:
            if calendar.is_workday(day):
                days.add(day)
            day += ONE_DAY
    return len(days)


def due_status(
    *,
    due: datetime.date | None,
    today: datetime.date | None = None,
    calendar: WorkCalendar | None = None,
    stopped: bool = False,
) -> DueStatus:
    if due is None:
        return DueStatus("none", "—")
    if stopped:
        return DueStatus("stopped", "中止计时")
    calendar = calendar or WorkCalendar()
    today = today or timezone.localdate()
    if today > due:
        late = calendar.working_days_between(due, today)
        return DueStatus("overdue", f"已逾期 {late} 个工作日" if late else "已逾期", -late)
    left = calendar.working_days_between(today, due)
    if left == 0:
        return DueStatus("warn", "今日到期", 0)
    level: Level = "warn" if left <= WARN_WORKING_DAYS else "ok"
    return DueStatus(level, f"剩 {left} 个工作日", left)


# --- One application ----------------------------------------------------------


@dataclass(frozen=True)
class ApplicationClock:
    review: DueStatus
    statutory: DueStatus
    promised: DueStatus
    deemed_accepted: bool
    suspended_days: int
    extended: bool
    notes: list[str]


def decision_dues(
    *,
    accepted_on: datetime.date,
    statutory_days: int,
    promised_days: int,
    stops: Sequence[Stop],
    today: datetime.date | None = None,
    calendar: WorkCalendar | None = None,
) -> tuple[Due, Due]:
    """The statutory (with extensions) and promised (without) due dates."""
    calendar = calendar or WorkCalendar()
    statutory = due_after(
        start=accepted_on, days=statutory_days, stops=stops, extend=True, today=today, calendar=calendar
    )
    promised = due_after(
        start=accepted_on, days=promised_days, stops=stops, extend=False, today=today, calendar=calendar
    )
    return statutory, promised


def deemed_accepted(application: Application, *, today: datetime.date | None = None) -> bool:
    """Art. 32: still waiting for preliminary review after its 5 working days,
    so by law accepted from the day the materials were received."""
    today = today or timezone.localdate()
    return (
        application.state == State.SUBMITTED and application.review_due is not None and today > application.review_due
    )


def application_clock(
    application: Application,
    *,
    stops: Sequence[Stop] | None = None,
    today: datetime.date | None = None,
    calendar: WorkCalendar | None = None,
) -> ApplicationClock:
    """The clocks of an application as the queue and the detail page show
    them. Uses the stored due dates (kept current by the services); a running
    suspension recomputes them. `stops` saves a query on list pages."""
    calendar = calendar or WorkCalendar()
    today = today or timezone.localdate()
    if stops is None:
        stops = stops_of(application.clock_stops.all())
    stopped = application.state == State.SUSPENDED
    review = (
        due_status(due=application.review_due, today=today, calendar=calendar)
        if application.state == State.SUBMITTED
        else DueStatus("none", "—")
    )
    statutory_due = application.statutory_due
    promised_due = application.promised_due
    notes: list[str] = []
    if stopped and application.accepted_on is not None:
        statutory, promised = decision_dues(
            accepted_on=application.accepted_on,
            statutory_days=application.service.statutory_days,
            promised_days=application.service.promised_days,
            stops=stops,
            today=today,
            calendar=calendar,
        )
        statutory_due, promised_due = statutory.due, promised.due
        notes = statutory.notes
    deciding = application.state in (State.ACCEPTED, State.SUSPENDED)
    return ApplicationClock(
        review=review,
        statutory=due_status(due=statutory_due, today=today, calendar=calendar, stopped=stopped)
        if deciding
        else DueStatus("none", "—"),
        promised=due_status(due=promised_due, today=today, calendar=calendar, stopped=stopped)
        if deciding
        else DueStatus("none", "—"),
        deemed_accepted=deemed_accepted(application, today=today),
        suspended_days=suspended_working_days(stops=stops, today=today, calendar=calendar),
        extended=any(stop.is_extension for stop in stops),
        notes=notes,
    )
