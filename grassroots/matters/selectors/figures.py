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
`MatterTally`'s subtree rows of the one node asked about for now, `MatterDay` for past days. The `*_scan` twins compute
the same from the matters themselves; the rollup's check and the benchmark
compare the two."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from grassroots.regions.models import Node

from ..history import end_of_days
from ..lateness import DEADLINE_STATES, late3_cutoffs
from ..models import Matter, MatterDay, MatterSnapshotDay, MatterTally
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


def _late3_q(today: datetime.date, model: type[Matter] | type[MatterTally]) -> Q:
    """The queue's 3x-late condition for `model`'s rows (both have state,
    due_date and deadline_days): one query for the deadlines late rows have."""
    days = model.objects.filter(_late_q(today)).order_by().values_list("deadline_days", flat=True).distinct()
    return _late_q(today) & late3_condition(today=today, deadline_days=[d for d in days if d])


# --- From the rollup ---------------------------------------------------------------------


def _subtree_rows(node_ids: list[int], *states: str) -> list[dict[str, Any]]:
    """The subtree tally rows of these nodes (one row per node, state, due
    date and deadline: what a read costs grows with the due dates in the
    subtree, not with its nodes)."""
    rows = MatterTally.objects.filter(subtree=True, node_id__in=node_ids).exclude(total=0)
    if states:
        rows = rows.filter(state__in=states)
    return [dict(row) for row in rows.order_by().values("node_id", "state", "due_date", "deadline_days", "total")]


def _cutoffs(rows: list[dict[str, Any]], today: datetime.date) -> dict[int, datetime.date]:
    """The 3x-late cutoffs for the deadlines of these rows' late matters (the
    work calendar is read only when some row is late)."""
    late = {row["deadline_days"] for row in rows if row["state"] in DEADLINE_STATES and row["due_date"] < today}
    return late3_cutoffs(today=today, deadline_days=late) if any(late) else {}


def _figures_from_rows(
    rows: list[dict[str, Any]], today: datetime.date, cutoffs: dict[int, datetime.date]
) -> MatterFigures:
    counts: dict[str, int] = defaultdict(int)
    overdue = late3 = 0
    for row in rows:
        counts[row["state"]] += row["total"]
        if row["state"] in DEADLINE_STATES and row["due_date"] < today:
            overdue += row["total"]
            cutoff = cutoffs.get(row["deadline_days"])
            if cutoff is not None and row["due_date"] <= cutoff:
                late3 += row["total"]
    return _figures(counts, overdue, late3)


def matter_figures(*, node: Node) -> MatterFigures:
    """The whole subtree of `node`, now: one query for the node's subtree rows
    (late and 3× late computed from their due dates), plus the work
    calendar's when some are late."""
    today = timezone.localdate()
    rows = _subtree_rows([node.pk])
    return _figures_from_rows(rows, today, _cutoffs(rows, today))


def _children(node: Node) -> list[Node]:
    return list(Node.objects.filter(path__startswith=node.path, depth=node.depth + 1).order_by("path"))


def matter_figures_by_child(*, node: Node) -> list[tuple[Node, MatterFigures]]:
    """One row per direct child of `node` (villages of a subdistrict, grids of
    a village), in path order, zeros included. Matters anchored at `node`
    itself belong to no child. Three queries (the children; the deadlines of
    the late subtree rows of `node`, a superset of its children's; the
    children's subtree rows summed per child and state, late and 3× late as
    filtered sums), plus the work calendar's when some are late."""
    children = _children(node)
    if not children:
        return []
    today = timezone.localdate()
    deadlines = (
        MatterTally.objects.filter(_late_q(today), subtree=True, node=node)
        .exclude(total=0)
        .order_by()
        .values_list("deadline_days", flat=True)
        .distinct()
    )
    late3 = _late_q(today) & late3_condition(today=today, deadline_days=[d for d in deadlines if d])
    grouped = (
        MatterTally.objects.filter(subtree=True, node_id__in=[child.pk for child in children])
        .order_by()
        .values("node_id", "state")
        .annotate(n=Sum("total"), overdue=Sum("total", filter=_late_q(today)), late3=Sum("total", filter=late3))
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    late: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in grouped:
        counts[row["node_id"]][row["state"]] = row["n"]
        late[row["node_id"]][0] += row["overdue"] or 0
        late[row["node_id"]][1] += row["late3"] or 0
    return [(child, _figures(counts[child.pk], *late[child.pk])) for child in children]


def matter_daily_trend(*, node: Node, start: datetime.date, end: datetime.date) -> list[DailyPoint]:
    """One point per day from `start` to `end` inclusive, zeros included.
    Three queries: the day rows from `start` on, the days with late counts
    recorded, and the open tally rows. Open at the end of a past day is
    today's number less what entered and plus what left the open states
    since; today and later days count late from the tally. A past day the
    nightly job did not record is scanned from the timelines."""
    if end < start:
        return []
    today = timezone.localdate()
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    day_rows = {
        row["day"]: row
        for row in MatterDay.objects.filter(path__startswith=node.path, day__gte=start)
        .order_by()
        .values("day")
        .annotate(
            created_n=Sum("created"),
            closed_n=Sum("closed"),
            entered_n=Sum("entered"),
            exited_n=Sum("exited"),
            overdue_n=Sum("overdue"),
            late3_n=Sum("late3"),
        )
    }
    recorded = set(
        MatterSnapshotDay.objects.filter(day__gte=start, day__lte=min(end, today)).values_list("day", flat=True)
    )
    open_rows = [{**row, "n": row["total"]} for row in _subtree_rows([node.pk], *OPEN_STATES)]
    open_now = sum(row["n"] for row in open_rows)
    late_rows = [row for row in open_rows if row["state"] in DEADLINE_STATES and row["n"]]
    missing = [day for day in days if day < today and day not in recorded]
    scanned = _sum_by_day(end_of_days(path=node.path, days=missing)) if missing else {}
    net = {day: int(row["entered_n"] or 0) - int(row["exited_n"] or 0) for day, row in day_rows.items()}
    points = []
    for day in days:
        row = day_rows.get(day) or {}
        created, closed = int(row.get("created_n") or 0), int(row.get("closed_n") or 0)
        open_end = open_now - sum(change for when, change in net.items() if when > day)
        if day >= today:
            overdue, late3 = _late_from_rows(late_rows, day)
        elif day in recorded:
            overdue, late3 = int(row.get("overdue_n") or 0), int(row.get("late3_n") or 0)
        else:
            overdue, late3 = scanned.get(day, (0, 0))
        points.append(DailyPoint(day, created, closed, open_end, overdue, late3))
    return points


def _late_from_rows(rows: list[dict[str, Any]], today: datetime.date) -> tuple[int, int]:
    """Late and 3x late on `today` from open tally rows (state, due date, deadline, n)."""
    cutoffs = late3_cutoffs(today=today, deadline_days={row["deadline_days"] for row in rows if row["deadline_days"]})
    overdue = late3 = 0
    for row in rows:
        if row["due_date"] < today:
            overdue += row["n"]
            cutoff = cutoffs.get(row["deadline_days"])
            if cutoff is not None and row["due_date"] <= cutoff:
                late3 += row["n"]
    return overdue, late3


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
    late = rows.aggregate(overdue=Count("pk", filter=_late_q(today)), late3=Count("pk", filter=_late3_q(today, Matter)))
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
            late3=Count("pk", filter=_late3_q(today, Matter)),
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
