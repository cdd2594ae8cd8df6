"""Working-day slots of the registration windows and their remaining seats
(the booking itself is in `appointments`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from grassroots.core.workdays import CalendarNotCovered, WorkCalendar

from ..models import Appointment, SlotTemplate

WEEKDAYS = "一二三四五六日"

Status = Appointment.Status


def format_day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日(星期{WEEKDAYS[day.weekday()]})"


def format_slot(slot: SlotTemplate) -> str:
    return f"{slot.start_time:%H:%M}-{slot.end_time:%H:%M}"


@dataclass(frozen=True)
class BookableDay:
    date: datetime.date
    provisional: bool = False
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return format_day(self.date)


@dataclass(frozen=True)
class SlotAvailability:
    slot: SlotTemplate
    date: datetime.date
    booked: int
    appointments: tuple[Appointment, ...] = field(default=(), compare=False)

    @property
    def capacity(self) -> int:
        return self.slot.capacity

    @property
    def remaining(self) -> int:
        return max(0, self.slot.capacity - self.booked)

    @property
    def full(self) -> bool:
        return self.remaining == 0

    @property
    def label(self) -> str:
        return format_slot(self.slot)


def is_workday(day: datetime.date) -> bool:
    try:
        return WorkCalendar().is_workday(day)
    except CalendarNotCovered:
        return False


def _availability(slots: list[SlotTemplate], day: datetime.date) -> list[SlotAvailability]:
    counts = dict(
        Appointment.objects.filter(slot__in=slots, date=day)
        .exclude(status=Status.CANCELLED)
        .values("slot")
        .annotate(n=Count("pk"))
        .values_list("slot", "n")
    )
    return [SlotAvailability(slot=s, date=day, booked=counts.get(s.pk, 0)) for s in slots]


def slots_for(*, window: Any, date: datetime.date) -> list[SlotAvailability]:
    """The window's slots on `date` with their remaining seats; none on a
    day that is not a working day (or not covered by the calendar)."""
    if not window.active or not is_workday(date):
        return []
    return _availability(list(window.slot_templates.select_related("window").order_by("start_time")), date)


def slots_for_day(*, date: datetime.date) -> list[SlotAvailability]:
    """Every active window's slots on `date` (public booking, API)."""
    if not is_workday(date):
        return []
    slots = list(
        SlotTemplate.objects.filter(window__active=True).select_related("window").order_by("window__name", "start_time")
    )
    return _availability(slots, date)
