"""When a matter is late: the queue's `late` and `late3` filters, the figures
and the rollup share these (ADR 0047)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from grassroots.core.workdays import WorkCalendar

from .models import State

# Open states in which a matter has a due date and can be late.
DEADLINE_STATES = (State.ACCEPTED, State.HANDLING, State.DELIBERATING)


def late3_cutoffs(
    *, today: datetime.date, deadline_days: Iterable[int], calendar: WorkCalendar | None = None
) -> dict[int, datetime.date]:
    """For each deadline (in working days), the latest due date at which an
    open matter counts as 3× late on `today`: the day before the (2 × d)-th
    working day counted back from today (see `late3_condition`)."""
    calendar = calendar or WorkCalendar()
    cutoffs: dict[int, datetime.date] = {}
    for days in sorted(set(deadline_days)):
        if not days:
            continue
        needed = 2 * days
        day = today
        counted = 0
        while True:
            if calendar.is_workday(day):
                counted += 1
                if counted == needed:
                    break
            day -= datetime.timedelta(days=1)
        cutoffs[days] = day - datetime.timedelta(days=1)
    return cutoffs
