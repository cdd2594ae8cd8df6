"""Matter figures for dashboards and the big screen: counts per state, open,
late and 3× late for a subtree, per direct child, and per day. A shared
contract (names and signatures fixed): callers pass a node the user may see;
every figure equals the count the work queue shows for the same filter
(`matters_visible_to(node=…, state=… | overdue="late" | "late3")`).

"Open" is `OPEN_STATES`; "overdue" is the queue's `late` (an open matter with
a due date before today); "late3" is the queue's `late3`. A day's
`overdue_at_end` is what the queue's `late` filter counted at the end of that
day (due date before that day), so today's point equals `matter_figures`."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from grassroots.core.workdays import WorkCalendar
from grassroots.regions.models import Node

from ..models import EventKind, Matter, MatterEvent
from ..states import OPEN_STATES, State
from . import DEADLINE_STATES, late3_condition, late3_cutoffs

__all__ = [
    "DailyPoint",
    "MatterFigures",
    "matter_daily_trend",
    "matter_figures",
    "matter_figures_by_child",
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
    by_state = {state.value: int(counts.get(state.value, 0)) for state in State}
    return MatterFigures(
        by_state=by_state,
        open=sum(by_state[state] for state in OPEN_STATES),
        overdue=int(overdue),
        late3=int(late3),
    )


def _late_q(today: datetime.date) -> Q:
    return Q(state__in=DEADLINE_STATES, due_date__lt=today)


def _late3_q(today: datetime.date) -> Q:
    # Every deadline a late matter may have: the condition ignores deadlines no row has.
    days = Matter.objects.filter(_late_q(today)).order_by().values_list("deadline_days", flat=True).distinct()
    return _late_q(today) & late3_condition(today=today, deadline_days=[d for d in days if d])


def matter_figures(*, node: Node) -> MatterFigures:
    """The whole subtree of `node`, now."""
    today = timezone.localdate()
    rows = Matter.objects.filter(path__startswith=node.path)
    counts = {row["state"]: row["n"] for row in rows.order_by().values("state").annotate(n=Count("pk"))}
    late = rows.aggregate(overdue=Count("pk", filter=_late_q(today)), late3=Count("pk", filter=_late3_q(today)))
    return _figures(counts, late["overdue"], late["late3"])


def matter_figures_by_child(*, node: Node) -> list[tuple[Node, MatterFigures]]:
    """One row per direct child of `node` (villages of a subdistrict, grids of
    a village), in path order, zeros included. Matters anchored at `node`
    itself belong to no child."""
    children = list(Node.objects.filter(path__startswith=node.path, depth=node.depth + 1).order_by("path"))
    if not children:
        return []
    today = timezone.localdate()
    length = len(node.path) + Node.steplen
    rows = Matter.objects.filter(path__startswith=node.path).exclude(path=node.path)
    grouped = (
        rows.annotate(child=Substr("path", 1, length))
        .order_by()
        .values("child", "state")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=_late_q(today)), late3=Count("pk", filter=_late3_q(today)))
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    late: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in grouped:
        counts[row["child"]][row["state"]] = row["n"]
        late[row["child"]][0] += row["overdue"]
        late[row["child"]][1] += row["late3"]
    return [(child, _figures(counts[child.path], *late[child.path])) for child in children]


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _due_in(data: object) -> datetime.date | None:
    value = data.get("due_date") if isinstance(data, dict) else None
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _as_of(
    events: list[tuple[datetime.datetime, str, datetime.date | None]],
    moment: datetime.datetime,
    state: str,
    due: datetime.date | None,
) -> tuple[str, datetime.date | None]:
    """A matter's state and due date just before `moment`: the state the
    first later transition left, and the due date the last earlier
    transition set (the current ones when nothing happened since)."""
    later = [event for event in events if event[0] >= moment]
    if not later:
        return state, due
    if any(event[2] is not None for event in later):
        earlier = [event[2] for event in events if event[0] < moment and event[2] is not None]
        due = earlier[-1] if earlier else None
    return later[0][1], due


def matter_daily_trend(*, node: Node, start: datetime.date, end: datetime.date) -> list[DailyPoint]:
    """One point per day from `start` to `end` inclusive, zeros included.
    A matter's state at the end of a day is the `from_state` of its first
    transition after that day, or its current state when there is none."""
    if end < start:
        return []
    days = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
    after_end = _day_start(end + datetime.timedelta(days=1))
    matters = list(
        Matter.objects.filter(path__startswith=node.path, created_at__lt=after_end)
        .order_by()
        .values_list("pk", "created_at", "state", "due_date", "deadline_days")
    )
    # Every transition of these matters: the state at the end of a day comes
    # from the first one after it, the due date from those that set one.
    transitions: dict[int, list[tuple[datetime.datetime, str, datetime.date | None]]] = defaultdict(list)
    for matter_id, at, source, data in (
        MatterEvent.objects.filter(matter__path__startswith=node.path, kind=EventKind.TRANSITION)
        .order_by("created_at", "id")
        .values_list("matter_id", "created_at", "from_state", "data")
    ):
        transitions[matter_id].append((at, source, _due_in(data)))
    closings = (
        MatterEvent.objects.filter(
            matter__path__startswith=node.path,
            kind=EventKind.TRANSITION,
            to_state=State.CLOSED,
            created_at__gte=_day_start(start),
            created_at__lt=after_end,
        )
        .order_by()
        .values_list("matter_id", "created_at")
    )
    closed: dict[datetime.date, set[int]] = defaultdict(set)
    for matter_id, at in closings:
        closed[timezone.localdate(at)].add(matter_id)
    calendar = WorkCalendar()
    deadlines = {row[4] for row in matters if row[4]}
    cutoffs = {day: late3_cutoffs(today=day, deadline_days=deadlines, calendar=calendar) for day in days}
    created: dict[datetime.date, int] = defaultdict(int)
    open_end: dict[datetime.date, int] = defaultdict(int)
    overdue_end: dict[datetime.date, int] = defaultdict(int)
    late3_end: dict[datetime.date, int] = defaultdict(int)
    for pk, created_at, state, due, deadline in matters:
        created[timezone.localdate(created_at)] += 1
        events = transitions.get(pk, [])
        for day in days:
            day_end = _day_start(day + datetime.timedelta(days=1))
            if created_at >= day_end:
                continue
            at_end, due_at_end = _as_of(events, day_end, state, due)
            if at_end not in OPEN_STATES:
                continue
            open_end[day] += 1
            if at_end in DEADLINE_STATES and due_at_end is not None and due_at_end < day:
                overdue_end[day] += 1
                cutoff = cutoffs[day].get(deadline or 0)
                if cutoff is not None and due_at_end <= cutoff:
                    late3_end[day] += 1
    return [
        DailyPoint(
            day=day,
            created=created[day],
            closed=len(closed[day]),
            open_at_end=open_end[day],
            overdue_at_end=overdue_end[day],
            late3_at_end=late3_end[day],
        )
        for day in days
    ]
