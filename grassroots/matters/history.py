"""What the matters of a subtree were at the end of past days, read from
their timelines (a scan of every matter and transition). The reference the
rollup is checked against and rebuilt from (ADR 0047), and the fallback for
a past day whose late counts the nightly job did not record.

A matter's state at the end of a day is the `from_state` of its first
transition after that day (its current state when there is none); its due
date is the one the last transition up to that day set, when a later one
set another (the current one otherwise). "Late at the end of day D" is what
the queue's `late` filter counted on D: open in a deadline state, due before D."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from grassroots.core.workdays import WorkCalendar

from .lateness import DEADLINE_STATES, late3_cutoffs
from .models import EventKind, Matter, MatterEvent
from .states import OPEN_STATES, State


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass
class EndOfDay:
    created: int = 0
    closed: int = 0
    open: int = 0
    overdue: int = 0
    late3: int = 0
    closed_ids: set[int] = field(default_factory=set)


def _due_in(data: object) -> datetime.date | None:
    value = data.get("due_date") if isinstance(data, dict) else None
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


Transition = tuple[datetime.datetime, str, datetime.date | None]


def _as_of(
    events: list[Transition], moment: datetime.datetime, state: str, due: datetime.date | None
) -> tuple[str, datetime.date | None]:
    later = [event for event in events if event[0] >= moment]
    if not later:
        return state, due
    if any(event[2] is not None for event in later):
        earlier = [event[2] for event in events if event[0] < moment and event[2] is not None]
        due = earlier[-1] if earlier else None
    return later[0][1], due


def end_of_days(*, path: str, days: Iterable[datetime.date]) -> dict[tuple[int, datetime.date], EndOfDay]:
    """{(node_id, day): counts} for the matters anchored in the subtree at
    `path`, for each of `days` (nodes without any matter that day left out)."""
    days = sorted(set(days))
    result: dict[tuple[int, datetime.date], EndOfDay] = defaultdict(EndOfDay)
    if not days:
        return result
    first, after_last = day_start(days[0]), day_start(days[-1] + datetime.timedelta(days=1))
    matters = (
        Matter.objects.filter(path__startswith=path, created_at__lt=after_last)
        .order_by()
        .values_list("pk", "node_id", "created_at", "state", "due_date", "deadline_days")
    )
    transitions: dict[int, list[Transition]] = defaultdict(list)
    events = (
        MatterEvent.objects.filter(matter__path__startswith=path, kind=EventKind.TRANSITION)
        .order_by("created_at", "id")
        .values_list("matter_id", "created_at", "from_state", "to_state", "data")
    )
    wanted = set(days)
    closings: list[tuple[int, datetime.datetime]] = []
    for matter_id, at, source, target, data in events.iterator(chunk_size=5000):
        if at >= first:
            transitions[matter_id].append((at, source, _due_in(data)))
            if target == State.CLOSED:
                closings.append((matter_id, at))
        elif _due_in(data) is not None:
            # Only the last due date set before the range matters.
            transitions[matter_id] = [(at, source, _due_in(data))]
    calendar = WorkCalendar()
    cutoffs: dict[datetime.date, dict[int, datetime.date]] = {}
    ends = [(day, day_start(day + datetime.timedelta(days=1))) for day in days]
    node_of: dict[int, int] = {}
    for pk, node_id, created_at, state, due, deadline in matters.iterator(chunk_size=5000):
        node_of[pk] = node_id
        created_day = timezone.localdate(created_at)
        if created_day in wanted:
            result[(node_id, created_day)].created += 1
        history = transitions.get(pk, [])
        recent = [event for event in history if event[0] >= first]
        for day, day_end in ends:
            if created_at >= day_end:
                continue
            if recent:
                at_end, due_at_end = _as_of(history, day_end, state, due)
            else:
                at_end, due_at_end = state, due
            if at_end not in OPEN_STATES:
                continue
            counts = result[(node_id, day)]
            counts.open += 1
            if at_end in DEADLINE_STATES and due_at_end is not None and due_at_end < day:
                counts.overdue += 1
                if day not in cutoffs:
                    cutoffs[day] = {}
                days_allowed = deadline or 0
                if days_allowed and days_allowed not in cutoffs[day]:
                    cutoffs[day].update(late3_cutoffs(today=day, deadline_days=[days_allowed], calendar=calendar))
                cutoff = cutoffs[day].get(days_allowed)
                if cutoff is not None and due_at_end <= cutoff:
                    counts.late3 += 1
    for matter_id, at in closings:
        day = timezone.localdate(at)
        if day in wanted and matter_id in node_of:
            counts = result[(node_of[matter_id], day)]
            if matter_id not in counts.closed_ids:
                counts.closed_ids.add(matter_id)
                counts.closed += 1
    return result
