"""Matter figures for dashboards and the big screen: counts per state, open,
late and 3× late for a subtree, per direct child, and per day. A shared
contract (names and signatures fixed): callers pass a node the user may see;
every figure equals the count the work queue shows for the same filter
(`matters_visible_to(node=…, state=… | overdue="late" | "late3")`).

"Open" is `OPEN_STATES`; "overdue" is the queue's `late` (an open matter with
a due date before today); "late3" is the queue's `late3`. A day's
`overdue_at_end` is what the queue's `late` filter counted at the end of that
day (due date before that day), so today's point equals `matter_figures`.

The figures read the rollup the matter services keep (ADR 0047):
`MatterTally`'s subtree rows of the one node asked about for now, its
`MatterDay` subtree rows for past days. The `*_scan` twins compute
the same from the matters themselves; the rollup's check and the benchmark
compare the two."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from grassroots.core.workdays import WorkCalendar
from grassroots.regions.models import Node

from ..history import end_of_days
from ..lateness import DEADLINE_STATES, late3_cutoffs
from ..models import ANY_DUE_DATE, NO_DUE_DATE, Matter, MatterDay, MatterSnapshotDay, MatterTally
from ..states import OPEN_STATES, State
from . import late3_condition

__all__ = [
    "DailyPoint",
    "MatterFigures",
    "matter_daily_trend",
    "matter_daily_trend_scan",
    "matter_figures",
    "matter_figures_by_child",
    "matter_figures_by_child_scan",
    "matter_figures_scan",
]


@dataclass(frozen=True)
class MatterFigures:
    by_state: dict[str, int]  # every matter state value -> count (all states present, 0 when none)
    open: int  # in OPEN_STATES (the sum of those states' counts)
    overdue: int  # open and past due (queue filter overdue=late)
    late3: int  # queue filter overdue=late3 (严重逾期, 3× the time limit)


@dataclass(frozen=True)
class DailyPoint:
    day: datetime.date
    created: int  # matters created that day in the subtree
    closed: int  # matters closed (已关闭) that day
    open_at_end: int  # open at the end of that day
    overdue_at_end: int  # open and past due at the end of that day
    late3_at_end: int


def _figures(counts: dict[str, int], overdue: int, late3: int) -> MatterFigures:
    by_state = {state.value: int(counts.get(state.value) or 0) for state in State}
    return MatterFigures(
        by_state=by_state,
        open=sum(by_state[state] for state in OPEN_STATES),
        overdue=int(overdue or 0),
        late3=int(late3 or 0),
    )


def _late_q(today: datetime.date) -> Q:
    return Q(state__in=DEADLINE_STATES, due_date__lt=today)


def _late3_q(today: datetime.date) -> Q:
    """The queue's 3x-late condition on matters: one query for the deadlines
    late matters have."""
    days = Matter.objects.filter(_late_q(today)).order_by().values_list("deadline_days", flat=True).distinct()
    return _late_q(today) & late3_condition(today=today, deadline_days=[d for d in days if d])


# --- From the rollup ---------------------------------------------------------------------
#
# A node's subtree rows hold, for each deadline state and deadline, one row
# over all due dates (`ANY_DUE_DATE`, ADR 0047 "all due dates") besides the
# rows per due date. The figures read those (a few per state) plus the rows
# per due date that can still change a figure: due today or later (not yet
# late) or after the deadline's 3x-late cutoff (late, not yet 3x late).
# Late = all − not yet late; 3x late = all − not yet 3x late. Exact, and the
# rows read no longer grow with the year of due dates behind them.


@dataclass
class _Subtree:
    counts: dict[str, int]  # per state, all due dates
    any_rows: list[tuple[str, int, int]]  # (state, deadline, total) over all due dates
    recent: list[tuple[str, datetime.date, int, int]]  # (state, due date, deadline, total) after the window's start

    def late(self, day: datetime.date, cutoffs: dict[int, datetime.date]) -> tuple[int, int]:
        """Late and 3x late at the end of `day` (today or later; the rows
        after the window's start of today cover every later day)."""
        overdue = late3 = 0
        for _state, days, total in self.any_rows:
            overdue += total
            late3 += total if days in cutoffs else 0
        for _state, due, days, total in self.recent:
            overdue -= total if due >= day else 0
            cutoff = cutoffs.get(days)
            late3 -= total if cutoff is not None and due > cutoff else 0
        return overdue, late3


def _read_subtrees(node_ids: list[int], today: datetime.date) -> tuple[dict[int, _Subtree], dict[int, datetime.date]]:
    """The subtree figures of these nodes from two queries (the rows over all
    due dates and those without one; then the rows due after the window's
    start), and the 3x-late cutoffs of today, read from the work calendar
    when some matter has a due date."""
    subtrees = {node_id: _Subtree(defaultdict(int), [], []) for node_id in node_ids}
    rows = MatterTally.objects.filter(subtree=True, node_id__in=node_ids).exclude(total=0).order_by()
    for node_id, state, due, days, total in rows.filter(due_date__in=[ANY_DUE_DATE, NO_DUE_DATE]).values_list(
        "node_id", "state", "due_date", "deadline_days", "total"
    ):
        subtrees[node_id].counts[state] += total
        if due == ANY_DUE_DATE:
            subtrees[node_id].any_rows.append((state, days, total))
    deadlines = {days for subtree in subtrees.values() for _state, days, _total in subtree.any_rows}
    if not deadlines:
        return subtrees, {}
    cutoffs = late3_cutoffs(today=today, deadline_days=deadlines) if any(deadlines) else {}
    window = Q(due_date__gte=today)
    for days, cutoff in cutoffs.items():
        window |= Q(deadline_days=days, due_date__gt=cutoff)
    recent = rows.filter(window, state__in=DEADLINE_STATES).exclude(due_date__in=[ANY_DUE_DATE, NO_DUE_DATE])
    columns = ("node_id", "state", "due_date", "deadline_days", "total")
    for node_id, state, due, days, total in recent.values_list(*columns):
        subtrees[node_id].recent.append((state, due, days, total))
    return subtrees, cutoffs


def _figures_of(subtree: _Subtree, today: datetime.date, cutoffs: dict[int, datetime.date]) -> MatterFigures:
    return _figures(subtree.counts, *subtree.late(today, cutoffs))


def matter_figures(*, node: Node) -> MatterFigures:
    """The whole subtree of `node`, now: two queries on the node's subtree
    rows (see above), plus the work calendar's when a matter has a due date."""
    today = timezone.localdate()
    subtrees, cutoffs = _read_subtrees([node.pk], today)
    return _figures_of(subtrees[node.pk], today, cutoffs)


def _children(node: Node) -> list[Node]:
    return list(Node.objects.filter(path__startswith=node.path, depth=node.depth + 1).order_by("path"))


def matter_figures_by_child(*, node: Node) -> list[tuple[Node, MatterFigures]]:
    """One row per direct child of `node` (villages of a subdistrict, grids of
    a village), in path order, zeros included. Matters anchored at `node`
    itself belong to no child. Three queries (the children; the two reads of
    their subtree rows, see above), plus the work calendar's when a matter has
    a due date."""
    children = _children(node)
    if not children:
        return []
    today = timezone.localdate()
    subtrees, cutoffs = _read_subtrees([child.pk for child in children], today)
    return [(child, _figures_of(subtrees[child.pk], today, cutoffs)) for child in children]


def matter_daily_trend(*, node: Node, start: datetime.date, end: datetime.date) -> list[DailyPoint]:
    """One point per day from `start` to `end` inclusive, zeros included.
    Four queries: the node's subtree day rows from `start` on (one per day
    with activity, ADR 0047 "per ancestor"), the days with late counts
    recorded, and the two reads of the node's subtree tally rows. Open at the end of a past day is
    today's number less what entered and plus what left the open states
    since; today and later days count late from the tally. A past day the
    nightly job did not record is scanned from the timelines."""
    if end < start:
        return []
    today = timezone.localdate()
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    day_rows = {
        row["day"]: row
        for row in MatterDay.objects.filter(node=node, subtree=True, day__gte=start)
        .order_by()
        .values("day", "created", "closed", "entered", "exited", "overdue", "late3")
    }
    recorded = set(
        MatterSnapshotDay.objects.filter(day__gte=start, day__lte=min(end, today)).values_list("day", flat=True)
    )
    subtrees, cutoffs_today = _read_subtrees([node.pk], today)
    subtree = subtrees[node.pk]
    open_now = sum(subtree.counts[state] for state in OPEN_STATES)
    missing = [day for day in days if day < today and day not in recorded]
    scanned = _sum_by_day(end_of_days(path=node.path, days=missing)) if missing else {}
    net = {day: row["entered"] - row["exited"] for day, row in day_rows.items()}
    deadlines = {days for _state, days, _total in subtree.any_rows if days}
    calendar: WorkCalendar | None = None
    points = []
    for day in days:
        row = day_rows.get(day)
        created, closed = (row["created"], row["closed"]) if row else (0, 0)
        open_end = open_now - sum(change for when, change in net.items() if when > day)
        if day == today:
            overdue, late3 = subtree.late(day, cutoffs_today)
        elif day > today:
            calendar = calendar or WorkCalendar()
            overdue, late3 = subtree.late(day, late3_cutoffs(today=day, deadline_days=deadlines, calendar=calendar))
        elif day in recorded:
            overdue, late3 = (row["overdue"], row["late3"]) if row else (0, 0)
        else:
            overdue, late3 = scanned.get(day, (0, 0))
        points.append(DailyPoint(day, created, closed, open_end, overdue, late3))
    return points


def _sum_by_day(by_node: dict[tuple[int, datetime.date], Any]) -> dict[datetime.date, tuple[int, int]]:
    sums: dict[datetime.date, tuple[int, int]] = {}
    for (_node, day), counts in by_node.items():
        overdue, late3 = sums.get(day, (0, 0))
        sums[day] = (overdue + counts.overdue, late3 + counts.late3)
    return sums


# --- The same from the matters themselves (the reference) --------------------------------


def matter_figures_scan(*, node: Node) -> MatterFigures:
    """`matter_figures` counted over the matters (the queue's own queries)."""
    today = timezone.localdate()
    rows = Matter.objects.filter(path__startswith=node.path)
    counts = {row["state"]: row["n"] for row in rows.order_by().values("state").annotate(n=Count("pk"))}
    late = rows.aggregate(overdue=Count("pk", filter=_late_q(today)), late3=Count("pk", filter=_late3_q(today)))
    return _figures(counts, late["overdue"], late["late3"])


def matter_figures_by_child_scan(*, node: Node) -> list[tuple[Node, MatterFigures]]:
    """`matter_figures_by_child` counted over the matters."""
    children = _children(node)
    if not children:
        return []
    today = timezone.localdate()
    grouped = (
        Matter.objects.filter(path__startswith=node.path)
        .exclude(path=node.path)
        .annotate(child=Substr("path", 1, len(node.path) + Node.steplen))
        .order_by()
        .values("child", "state")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=_late_q(today)),
            late3=Count("pk", filter=_late3_q(today)),
        )
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    late: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in grouped:
        counts[row["child"]][row["state"]] = row["n"]
        late[row["child"]][0] += row["overdue"]
        late[row["child"]][1] += row["late3"]
    return [(child, _figures(counts[child.path], *late[child.path])) for child in children]


def matter_daily_trend_scan(*, node: Node, start: datetime.date, end: datetime.date) -> list[DailyPoint]:
    """`matter_daily_trend` read from every matter's timeline (history.py)."""
    if end < start:
        return []
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    by_day: dict[datetime.date, list[int]] = {day: [0, 0, 0, 0, 0] for day in days}
    for (_node, day), counts in end_of_days(path=node.path, days=days).items():
        total = by_day[day]
        for i, value in enumerate((counts.created, counts.closed, counts.open, counts.overdue, counts.late3)):
            total[i] += value
    return [DailyPoint(day, *by_day[day]) for day in days]
