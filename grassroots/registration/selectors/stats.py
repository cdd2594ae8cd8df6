"""Registration statistics for the window (办理统计), per service:

- processing time in working days (《行政许可法》第82条), from the first
  submission to the issue, minus suspended time (第45条: hearings, expert
  review and similar; `ClockStop` rows other than extensions); median and
  maximum over the applications issued in the period;
- same-day rate: issued on the day of submission (0 working days);
- return rate: of the applications accepted in the period, those returned
  for correction (补正) at least once;
- assisted (窗口帮办) against unassisted: counts and median times.

An application whose dates fall in a year the working-day calendar does not
cover is left out of the times and counted in `uncovered`, never guessed."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from grassroots.core.workdays import ONE_DAY, CalendarNotCovered, WorkCalendar

from ..models import Application, ApplicationEvent, ClockStop, ReturnNotice, Service
from ..services.clock import Stop, suspended_working_days
from ..states import Action, State


@dataclass
class Times:
    days: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.days)

    @property
    def median(self) -> float | None:
        return float(statistics.median(self.days)) if self.days else None

    @property
    def maximum(self) -> int | None:
        return max(self.days) if self.days else None


@dataclass
class ServiceStats:
    service: Service | None  # None: all services
    all: Times = field(default_factory=Times)
    assisted: Times = field(default_factory=Times)
    unassisted: Times = field(default_factory=Times)
    accepted: int = 0
    returned: int = 0
    uncovered: int = 0

    @property
    def label(self) -> str:
        return self.service.name if self.service else "合计"

    @property
    def same_day(self) -> int:
        return sum(1 for d in self.all.days if d == 0)

    @property
    def same_day_rate(self) -> float | None:
        return self.same_day / self.all.count if self.all.count else None

    @property
    def return_rate(self) -> float | None:
        return self.returned / self.accepted if self.accepted else None


@dataclass
class StatsResult:
    date_from: datetime.date
    date_to: datetime.date
    rows: list[ServiceStats]
    total: ServiceStats


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return datetime.date(today.year, 1, 1), today


def _processing_days(calendar: WorkCalendar, application: Application, issued: datetime.date) -> int:
    """Working days in (submission, issue], less the working days of the
    suspensions inside that span (the clock part's convention: a suspension
    covers its first and last day)."""
    submitted = timezone.localdate(application.first_submitted_at)
    stops = []
    for row in application.clock_stops.all():
        if row.kind == ClockStop.Kind.EXTENSION:
            continue
        start, end = max(row.started_on, submitted + ONE_DAY), min(row.ended_on or issued, issued)
        if end >= start:
            stops.append(Stop(start, end))
    days = calendar.working_days_between(submitted, issued)
    days -= suspended_working_days(stops=stops, today=issued, calendar=calendar)
    return max(days, 0)


def registration_stats(*, date_from: datetime.date, date_to: datetime.date) -> StatsResult:
    """Statistics over applications issued (times) and accepted (return rate)
    between `date_from` and `date_to`, both included. Queries: services, issued
    applications and their clock stops, accepted ones, one per calendar year."""
    services = list(Service.objects.order_by("sort_order", "code"))
    rows = {service.pk: ServiceStats(service) for service in services}
    total = ServiceStats(None)
    calendar = WorkCalendar()

    issued = (
        Application.objects.filter(state=State.ISSUED, first_submitted_at__isnull=False)
        .annotate(issue_day=Coalesce("certificate__issued_on", TruncDate("decided_at")))
        .filter(issue_day__gte=date_from, issue_day__lte=date_to)
        .prefetch_related(Prefetch("clock_stops", queryset=ClockStop.objects.order_by("started_on")))
        .only("id", "service_id", "assisted", "first_submitted_at", "decided_at")
    )
    for application in issued:
        row = rows.get(application.service_id)
        if row is None:
            continue
        try:
            days = _processing_days(calendar, application, application.issue_day)
        except CalendarNotCovered:
            row.uncovered += 1
            total.uncovered += 1
            continue
        for target in (row, total):
            target.all.days.append(days)
            (target.assisted if application.assisted else target.unassisted).days.append(days)

    returned = Exists(ReturnNotice.objects.filter(application=OuterRef("pk"))) | Exists(
        ApplicationEvent.objects.filter(application=OuterRef("pk"), action=Action.RETURN)
    )
    accepted = (
        Application.objects.filter(accepted_on__gte=date_from, accepted_on__lte=date_to)
        .annotate(was_returned=returned)
        .values_list("service_id", "was_returned")
    )
    for service_id, was_returned in accepted:
        row = rows.get(service_id)
        if row is None:
            continue
        for target in (row, total):
            target.accepted += 1
            target.returned += int(bool(was_returned))

    return StatsResult(date_from=date_from, date_to=date_to, rows=list(rows.values()), total=total)


def stats_table(result: StatsResult) -> tuple[list[str], list[list[object]]]:
    """Headers and rows for the page table and the Excel export."""
    headers = [
        "事项",
        "办结件数",
        "办理时长中位数(工作日)",
        "最长(工作日)",
        "当日办结",
        "当日办结率",
        "受理件数",
        "退回补正件数",
        "退回率",
        "帮办件数",
        "帮办时长中位数",
        "自办件数",
        "自办时长中位数",
        "日历未覆盖",
    ]

    def pct(value: float | None) -> str:
        return f"{value * 100:.1f}%" if value is not None else "—"

    def num(value: float | int | None) -> object:
        if value is None:
            return "—"
        return int(value) if isinstance(value, float) and value.is_integer() else value

    rows = [
        [
            row.label,
            row.all.count,
            num(row.all.median),
            num(row.all.maximum),
            row.same_day,
            pct(row.same_day_rate),
            row.accepted,
            row.returned,
            pct(row.return_rate),
            row.assisted.count,
            num(row.assisted.median),
            row.unassisted.count,
            num(row.unassisted.median),
            row.uncovered,
        ]
        for row in [*result.rows, result.total]
    ]
    return headers, rows


def chart_data(result: StatsResult) -> dict[str, object]:
    """Series for the ECharts bar chart (read by static/registration/stats.js)."""
    rows = [row for row in result.rows if row.all.count or row.accepted]
    return {
        "services": [row.label for row in rows],
        "median": [row.all.median for row in rows],
        "maximum": [row.all.maximum for row in rows],
        "assisted": [row.assisted.median for row in rows],
        "unassisted": [row.unassisted.median for row in rows],
    }


@dataclass(frozen=True)
class MonthThroughput:
    """One month at the window: applications accepted (受理) and issued (办结发证),
    counted as `registration_stats` counts them for that month."""

    month: datetime.date
    accepted: int
    issued: int

    @property
    def last_day(self) -> datetime.date:
        return (self.month + datetime.timedelta(days=32)).replace(day=1) - ONE_DAY


def monthly_throughput(*, last_month: datetime.date, months: int = 12) -> list[MonthThroughput]:
    """Accepted and issued applications per month, the `months` months up to
    `last_month` (its first day), oldest first, zeros included. Two queries."""
    starts = [last_month.replace(day=1)]
    for _ in range(months - 1):
        starts.append((starts[-1] - ONE_DAY).replace(day=1))
    starts.reverse()
    first, end = starts[0], (starts[-1] + datetime.timedelta(days=32)).replace(day=1) - ONE_DAY
    accepted = {
        row["m"]: row["n"]
        for row in Application.objects.filter(accepted_on__gte=first, accepted_on__lte=end)
        .annotate(m=TruncMonth("accepted_on"))
        .values("m")
        .annotate(n=Count("id"))
        .order_by()
    }
    issued: dict[datetime.date, int] = dict.fromkeys(starts, 0)
    days = (
        Application.objects.filter(state=State.ISSUED, first_submitted_at__isnull=False)
        .annotate(issue_day=Coalesce("certificate__issued_on", TruncDate("decided_at")))
        .filter(issue_day__gte=first, issue_day__lte=end)
        .values_list("issue_day", flat=True)
    )
    for day in days:
        issued[day.replace(day=1)] += 1
    return [MonthThroughput(month=m, accepted=int(accepted.get(m, 0)), issued=issued[m]) for m in starts]
