"""Reads for the window staff's appointment calendar: a day or a week, by
window and slot. Three queries whatever the number of bookings (windows with
their slots, appointments, and the calendar's override rows per year)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Count, Prefetch, QuerySet

from grassroots.core.workdays import CalendarNotCovered, WorkCalendar

from ..models import Appointment, SlotTemplate, Window
from ..services.slots import SlotAvailability, format_day

View = Literal["day", "week"]
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class CalendarDay:
    date: datetime.date
    is_workday: bool
    provisional: bool = False
    name: str = ""
    covered: bool = True

    @property
    def label(self) -> str:
        return format_day(self.date)


@dataclass
class CalendarRow:
    slot: SlotTemplate
    cells: list[SlotAvailability] = field(default_factory=list)


@dataclass
class WindowCalendar:
    window: Window
    rows: list[CalendarRow] = field(default_factory=list)


@dataclass
class AppointmentCalendar:
    view: View
    anchor: datetime.date
    days: list[CalendarDay]
    windows: list[WindowCalendar]
    warnings: list[str]
    previous: datetime.date
    following: datetime.date
    total: int


def _day_info(calendar: WorkCalendar, day: datetime.date) -> CalendarDay:
    try:
        info = calendar.day(day)
    except CalendarNotCovered:
        return CalendarDay(day, is_workday=day.weekday() < 5, covered=False)
    return CalendarDay(day, info.is_workday, info.provisional, info.name)


def calendar_days(*, anchor: datetime.date, view: View, calendar: WorkCalendar | None = None) -> list[CalendarDay]:
    """The day itself, or the working days of its week (Monday to Sunday,
    make-up workdays included, holidays left out)."""
    calendar = calendar or WorkCalendar()
    if view == "day":
        return [_day_info(calendar, anchor)]
    monday = anchor - datetime.timedelta(days=anchor.weekday())
    week = [_day_info(calendar, monday + datetime.timedelta(days=i)) for i in range(7)]
    return [d for d in week if d.is_workday]


def remaining_by_date(*, dates: list[datetime.date]) -> dict[datetime.date, int]:
    """Free seats per day over all active windows (the booking page's date buttons). Two queries."""
    if not dates:
        return {}
    capacity = sum(SlotTemplate.objects.filter(window__active=True).values_list("capacity", flat=True))
    booked = dict(
        Appointment.objects.filter(date__in=dates, slot__window__active=True)
        .exclude(status=Appointment.Status.CANCELLED)
        .values("date")
        .annotate(n=Count("pk"))
        .values_list("date", "n")
    )
    return {day: max(0, capacity - booked.get(day, 0)) for day in dates}


def appointments_between(
    *, start: datetime.date, end: datetime.date, window: Window | None = None
) -> QuerySet[Appointment]:
    rows = Appointment.objects.filter(date__range=(start, end)).select_related("slot__window", "service")
    if window is not None:
        rows = rows.filter(slot__window=window)
    return rows.order_by("date", "slot__start_time", "seat", "pk")


def appointment_calendar(*, anchor: datetime.date, view: View, window_id: int | None = None) -> AppointmentCalendar:
    calendar = WorkCalendar()
    days = calendar_days(anchor=anchor, view=view, calendar=calendar)
    warnings: list[str] = []
    if any(not d.covered for d in days):
        warnings.append(
            f"{anchor.year} 年的节假日安排尚未录入,无法确定工作日,也不开放预约;请系统管理员在节假日维护中录入。"
        )
    if any(d.provisional for d in days):
        warnings.append("部分日期按暂定的节假日安排计算,国务院正式安排公布后可能调整。")
    if view == "day" and days and not days[0].is_workday:
        warnings.append(f"{days[0].label}{'(' + days[0].name + ')' if days[0].name else ''}不是工作日,不开放预约。")

    windows_qs = Window.objects.filter(active=True).prefetch_related(
        Prefetch("slot_templates", queryset=SlotTemplate.objects.order_by("start_time"))
    )
    if window_id is not None:
        windows_qs = windows_qs.filter(pk=window_id)
    windows = list(windows_qs)

    by_cell: dict[tuple[int, datetime.date], list[Appointment]] = defaultdict(list)
    total = 0
    dates = [d.date for d in days]
    if dates and windows:
        for appointment in (
            Appointment.objects.filter(date__in=dates, slot__window__in=windows)
            .select_related("service")
            .order_by("date", "slot__start_time", "seat", "pk")
        ):
            by_cell[(appointment.slot_id, appointment.date)].append(appointment)
            if appointment.status != Appointment.Status.CANCELLED:
                total += 1

    result = []
    for window in windows:
        rows = []
        for slot in window.slot_templates.all():
            slot.window = window  # already loaded: no query per slot in templates
            cells = []
            for day in days:
                items = by_cell.get((slot.pk, day.date), [])
                booked = sum(1 for a in items if a.status != Appointment.Status.CANCELLED)
                for item in items:
                    item.slot = slot
                cells.append(SlotAvailability(slot=slot, date=day.date, booked=booked, appointments=tuple(items)))
            rows.append(CalendarRow(slot=slot, cells=cells))
        result.append(WindowCalendar(window=window, rows=rows))

    step = ONE_DAY if view == "day" else datetime.timedelta(days=7)
    return AppointmentCalendar(
        view=view,
        anchor=anchor,
        days=days,
        windows=result,
        warnings=warnings,
        previous=anchor - step,
        following=anchor + step,
        total=total,
    )
