"""Working-day arithmetic for statutory deadlines.

Sources, in order of precedence:
1. `HolidayOverride` rows (administrator-maintained; always win);
2. the `chinese_calendar` package (State Council schedules 2004–2026, including
   make-up workdays 调休);
3. for a year the package does not cover but that has a `HolidayYear` row:
   Monday–Friday, corrected by (1).
A year covered by neither raises `CalendarNotCovered`: we never silently fall
back to Monday–Friday, because a wrong statutory deadline is worse than none.

Counting convention (《行政许可法》Art. 82: the time limits of administrative
licensing are counted in working days, excluding statutory holidays; and
《民法典》Art. 201: the day on which a period starts is not counted): a deadline
of N working days after `start` is the N-th working day strictly after `start`.

Queries: a `WorkCalendar` loads each calendar year it touches once (one query
for the year's overrides, plus one `HolidayYear` lookup for years the package
does not cover), so a 60-day deadline costs one or two queries. The module
functions build a fresh calendar per call; callers computing many deadlines
(list pages) should create one `WorkCalendar` and reuse it.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import chinese_calendar
import holidays as holidays_pkg
from django.db import transaction

from .errors import Conflict, DomainError
from .models import HolidayOverride, HolidayYear

ONE_DAY = datetime.timedelta(days=1)

Coverage = Literal["package", "confirmed", "provisional", "none"]


class CalendarNotCovered(DomainError):
    """The holiday schedule of `year` is unknown, so no working day can be counted."""

    def __init__(self, year: int) -> None:
        super().__init__(
            "calendar_not_covered",
            f"{year} 年的节假日安排尚未录入,无法计算工作日,请系统管理员在节假日维护中录入。",
        )
        self.year = year


def invalidate_calendar_cache() -> None:
    """Call after writing `HolidayOverride` or `HolidayYear` rows.

    There is deliberately no cross-call cache today: an in-process cache could
    not be invalidated in the other web and Celery processes, and one query per
    year per call is cheap. The hook exists so that writers have a single call
    site if a shared cache is ever added."""
    package_covers.cache_clear()


@functools.cache
def package_covers(year: int) -> bool:
    """Whether the installed chinese_calendar knows the State Council schedule of `year`."""
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def _package_holiday_name(day: datetime.date) -> str:
    _, name = chinese_calendar.get_holiday_detail(day)
    if not name:
        return ""
    try:
        return str(chinese_calendar.Holiday(name).chinese)
    except ValueError:
        return str(name)


@dataclass(frozen=True)
class DayInfo:
    day: datetime.date
    is_workday: bool
    provisional: bool
    name: str = ""
    source: Literal["override", "package", "weekday"] = "package"


@dataclass(frozen=True)
class DeadlineInfo:
    start: datetime.date
    days: int
    due: datetime.date
    provisional: bool
    notes: list[str] = field(default_factory=list)


@dataclass
class _Year:
    year: int
    by_package: bool
    # None when there is no HolidayYear row (then by_package must be True).
    year_confirmed: bool | None
    # date -> (is_workday, confirmed, name)
    overrides: dict[datetime.date, tuple[bool, bool, str]]


class WorkCalendar:
    """A snapshot of the holiday calendar, loaded lazily one year at a time."""

    def __init__(self) -> None:
        self._years: dict[int, _Year] = {}

    def _year(self, year: int) -> _Year:
        loaded = self._years.get(year)
        if loaded is not None:
            return loaded
        by_package = package_covers(year)
        year_confirmed: bool | None = None
        if not by_package:
            row = HolidayYear.objects.filter(year=year).values_list("confirmed", flat=True).first()
            if row is None:
                raise CalendarNotCovered(year)
            year_confirmed = bool(row)
        rows = HolidayOverride.objects.filter(
            date__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        ).values_list("date", "is_workday", "confirmed", "name")
        loaded = _Year(
            year=year,
            by_package=by_package,
            year_confirmed=year_confirmed,
            overrides={d: (w, c, n) for d, w, c, n in rows},
        )
        self._years[year] = loaded
        return loaded

    def day(self, day: datetime.date) -> DayInfo:
        year = self._year(day.year)
        override = year.overrides.get(day)
        if override is not None:
            is_workday, confirmed, name = override
            return DayInfo(day, is_workday, provisional=not confirmed, name=name, source="override")
        if year.by_package:
            return DayInfo(
                day, bool(chinese_calendar.is_workday(day)), provisional=False, name=_package_holiday_name(day)
            )
        return DayInfo(day, day.weekday() < 5, provisional=not year.year_confirmed, source="weekday")

    def is_workday(self, day: datetime.date) -> bool:
        return self.day(day).is_workday

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The `days`-th working day strictly after `start` (start itself never
        counts, even if it is a working day); `days == 0` returns `start`."""
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        remaining = days
        while remaining > 0:
            current += ONE_DAY
            if self.is_workday(current):
                remaining -= 1
        return current

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (start, end]. Zero when end == start; when end is
        before start the result is minus the count over (end, start], so that
        working_days_between(a, b) == -working_days_between(b, a)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for info in self._days(start, end) if info.is_workday)

    def provisional_days_in(self, start: datetime.date, end: datetime.date) -> list[DayInfo]:
        """Days in (start, end] whose status rests on unconfirmed data: an
        unconfirmed override row, or a year entered only provisionally."""
        return [info for info in self._days(start, end) if info.provisional]

    def deadline_after(self, start: datetime.date, days: int) -> DeadlineInfo:
        due = self.add_working_days(start, days)
        provisional = self.provisional_days_in(start, due)
        return DeadlineInfo(
            start=start, days=days, due=due, provisional=bool(provisional), notes=self._notes(provisional)
        )

    def _days(self, start: datetime.date, end: datetime.date) -> Iterator[DayInfo]:
        current = start + ONE_DAY
        while current <= end:
            yield self.day(current)
            current += ONE_DAY

    def _notes(self, provisional: list[DayInfo]) -> list[str]:
        notes: list[str] = []
        seen_years: set[int] = set()
        for info in provisional:
            year = self._years[info.day.year]
            if not year.by_package and not year.year_confirmed:
                if info.day.year not in seen_years:
                    seen_years.add(info.day.year)
                    notes.append(
                        f"{info.day.year} 年的节假日安排为暂定(尚未按国务院通知确认),此期限可能随正式安排调整。"
                    )
            else:
                label = f"({info.name})" if info.name else ""
                status = "上班" if info.is_workday else "休息"
                notes.append(f"{info.day.isoformat()}{label}按{status}计算,该节假日调整尚未确认。")
        return notes


def calendar_coverage(year: int) -> Coverage:
    """How `year` is covered: by the package, by a confirmed or provisional
    `HolidayYear`, or not at all. Queries the database unless the package covers it."""
    if package_covers(year):
        return "package"
    confirmed = HolidayYear.objects.filter(year=year).values_list("confirmed", flat=True).first()
    if confirmed is None:
        return "none"
    return "confirmed" if confirmed else "provisional"


def is_workday(day: datetime.date) -> bool:
    return WorkCalendar().is_workday(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """Deadline `days` working days after `start` (start not counted; Art. 82)."""
    return WorkCalendar().add_working_days(start, days)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    return WorkCalendar().working_days_between(start, end)


def provisional_days_in(start: datetime.date, end: datetime.date) -> list[DayInfo]:
    return WorkCalendar().provisional_days_in(start, end)


def deadline_after(start: datetime.date, days: int) -> DeadlineInfo:
    return WorkCalendar().deadline_after(start, days)


# --- Provisional schedules for years the State Council has not announced ------

PROVISIONAL_SOURCE = "《全国年节及纪念日放假办法》(2024 修订) 推算,待国务院通知确认"


def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """The statutory holiday days of `year` under the 2024 amendment of
    《全国年节及纪念日放假办法》 (Art. 2): New Year's Day 1 day, Spring Festival
    4 days from lunar New Year's Eve, Qingming 1, Labour Day 2 (1–2 May),
    Dragon Boat 1, Mid-Autumn 1, National Day 3 (1–3 Oct). Bridging days and
    make-up workdays (调休) are not included: only the State Council sets them.
    Lunar dates and Qingming come from the `holidays` package."""
    lunar: dict[str, datetime.date] = {}
    for day, names in holidays_pkg.China(years=year, observed=False, language="en_US").items():
        for name in str(names).split("; "):
            if name not in lunar or day < lunar[name]:
                lunar[name] = day
    try:
        new_year = lunar["Chinese New Year (Spring Festival)"]
        qingming = lunar["Tomb-Sweeping Day"]
        dragon_boat = lunar["Dragon Boat Festival"]
        mid_autumn = lunar["Mid-Autumn Festival"]
    except KeyError as exc:  # pragma: no cover - only if the package changes its names
        raise RuntimeError(f"holidays package lacks {exc} for {year}") from exc

    days: dict[datetime.date, list[str]] = {}

    def add(day: datetime.date, name: str) -> None:
        days.setdefault(day, [])
        if name not in days[day]:
            days[day].append(name)

    add(datetime.date(year, 1, 1), "元旦")
    for offset in range(4):
        add(new_year - ONE_DAY + offset * ONE_DAY, "春节")
    add(qingming, "清明节")
    add(datetime.date(year, 5, 1), "劳动节")
    add(datetime.date(year, 5, 2), "劳动节")
    add(dragon_boat, "端午节")
    add(mid_autumn, "中秋节")
    for day_of_month in (1, 2, 3):
        add(datetime.date(year, 10, day_of_month), "国庆节")
    return {day: "、".join(names) for day, names in sorted(days.items())}


@dataclass
class ProvisionalLoadResult:
    year: int
    year_created: bool
    created: list[datetime.date] = field(default_factory=list)
    updated: list[datetime.date] = field(default_factory=list)
    unchanged: list[datetime.date] = field(default_factory=list)
    skipped_confirmed: list[datetime.date] = field(default_factory=list)


def holiday_year_load_provisional(*, year: int) -> ProvisionalLoadResult:
    """Create or refresh the provisional schedule of `year`: a HolidayYear
    (confirmed=False) and one unconfirmed HolidayOverride per statutory holiday
    day. Idempotent. Refuses a year the package covers or an administrator has
    confirmed; never touches confirmed override rows; creates no make-up workdays."""
    if package_covers(year):
        raise Conflict(
            "calendar_covered_by_package",
            f"{year} 年的节假日安排已包含在 chinese_calendar 中(国务院正式安排),无需载入暂定安排。",
        )
    with transaction.atomic():
        holiday_year, year_created = HolidayYear.objects.select_for_update().get_or_create(
            year=year, defaults={"confirmed": False, "source": PROVISIONAL_SOURCE}
        )
        if holiday_year.confirmed:
            raise Conflict(
                "calendar_year_confirmed",
                f"{year} 年的节假日安排已按国务院通知确认,不能用推算的暂定安排覆盖。",
            )
        result = ProvisionalLoadResult(year=year, year_created=year_created)
        existing = {row.date: row for row in HolidayOverride.objects.filter(date__year=year)}
        for day, name in statutory_holidays(year).items():
            row = existing.get(day)
            if row is None:
                HolidayOverride.objects.create(
                    date=day, is_workday=False, name=name, confirmed=False, note=PROVISIONAL_SOURCE
                )
                result.created.append(day)
            elif row.confirmed:
                result.skipped_confirmed.append(day)
            elif row.is_workday or row.name != name:
                row.is_workday = False
                row.name = name
                row.note = PROVISIONAL_SOURCE
                row.save(update_fields=["is_workday", "name", "note", "updated_at"])
                result.updated.append(day)
            else:
                result.unchanged.append(day)
    invalidate_calendar_cache()
    return result
