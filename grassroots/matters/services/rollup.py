"""The rollup behind the matter figures (ADR 0047): `MatterTally` (matters per
node, state, due date and deadline, now) and `MatterDay` (per node and day:
created, closed, entered and left the open states; late and 3× late at the
end of the day). Creation and every transition update them in their own
transaction (intake.matter_create, transitions.transition); the nightly job
writes the day's late counts (`matter_rollup_snapshot`). Rebuild and check:
rollup_rebuild.py."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from grassroots.regions.models import Node

from ..history import end_of_days
from ..lateness import DEADLINE_STATES, late3_cutoffs
from ..models import (
    ANY_DUE_DATE,
    NO_DUE_DATE,
    Matter,
    MatterDay,
    MatterSnapshotDay,
    MatterTally,
)
from ..states import OPEN_STATES, State


class TallyKey(NamedTuple):
    node_id: int
    path: str
    state: str
    due_date: datetime.date
    deadline_days: int


def tally_key(*, node_id: int, path: str, state: str, due_date: Any, deadline_days: Any) -> TallyKey:
    """The tally row a matter counts in: states without a deadline collapse
    into one row per node and state."""
    if state in DEADLINE_STATES and due_date is not None:
        return TallyKey(node_id, path, str(state), due_date, int(deadline_days or 0))
    return TallyKey(node_id, path, str(state), NO_DUE_DATE, 0)


def has_due(key: TallyKey) -> bool:
    """Whether the key's matters have a due date (counted, in subtree rows,
    also in the row over all due dates)."""
    return key.due_date not in (NO_DUE_DATE, ANY_DUE_DATE)


def key_of(matter: Matter) -> TallyKey:
    return tally_key(
        node_id=matter.node_id,
        path=matter.path,
        state=matter.state,
        due_date=matter.due_date,
        deadline_days=matter.deadline_days,
    )


def ancestor_paths(path: str) -> list[str]:
    """The paths of the node at `path` and of each of its ancestors, root first."""
    return [path[:end] for end in range(Node.steplen, len(path) + 1, Node.steplen)]


def _tally_add(changes: Iterable[tuple[TallyKey, int]]) -> None:
    """One statement: add each delta to the node's own row and to the
    subtree row of the node and of each of its ancestors, creating missing
    rows (INSERT … ON CONFLICT DO UPDATE, the same on SQLite and
    PostgreSQL); an ancestor's id is a sub-select on its path."""
    merged: dict[tuple[str, bool, str, datetime.date, int], list[Any]] = {}
    for key, delta in changes:
        if not delta:
            continue
        rest = (key.state, key.due_date, key.deadline_days)
        for path, subtree in [(key.path, False)] + [(p, True) for p in ancestor_paths(key.path)]:
            over_all = [(key.state, ANY_DUE_DATE, key.deadline_days)] if subtree and has_due(key) else []
            for row_rest in [rest, *over_all]:
                entry = merged.setdefault((path, subtree, *row_rest), [key.node_id if path == key.path else None, 0])
                entry[1] += delta
    # In key order, so that concurrent writes lock shared ancestor rows in the
    # same order (no deadlock between two transitions in one subdistrict).
    rows = [(row_key, node_id, delta) for row_key, (node_id, delta) in sorted(merged.items()) if delta]
    if not rows:
        return
    table, nodes = MatterTally._meta.db_table, Node._meta.db_table
    values: list[str] = []
    params: list[Any] = []
    for (path, subtree, state, due_date, deadline_days), node_id, delta in rows:
        if node_id is None:
            values.append(f"((SELECT id FROM {nodes} WHERE path = %s), %s, %s, %s, %s, %s, %s)")  # noqa: S608 - table name from the model
            params.append(path)
        else:
            values.append("(%s, %s, %s, %s, %s, %s, %s)")
            params.append(node_id)
        params += [path, subtree, state, due_date.isoformat(), deadline_days, delta]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (node_id, path, subtree, state, due_date, deadline_days, total) "  # noqa: S608 - table name from the model, values are parameters
            f"VALUES {', '.join(values)} "
            "ON CONFLICT (node_id, subtree, state, due_date, deadline_days) "
            f"DO UPDATE SET total = {table}.total + excluded.total",
            params,
        )


DAY_COLUMNS = ("created", "closed", "entered", "exited")


def _day_add(*, node_id: int, path: str, day: datetime.date, **deltas: int) -> None:
    """One statement: add to the node's own row of the day and to the subtree
    row of the day of the node and of each ancestor (ids as sub-selects on
    their paths), root first, so concurrent writers lock them in one order."""
    table, nodes = MatterDay._meta.db_table, Node._meta.db_table
    values = [int(deltas.get(column, 0)) for column in DAY_COLUMNS]
    if not any(values):
        return
    rows: list[str] = []
    params: list[Any] = []
    for prefix, subtree in [(p, True) for p in ancestor_paths(path)] + [(path, False)]:
        if prefix == path:
            rows.append("(%s, %s, %s, %s, %s, %s, %s, %s, 0, 0)")
            params.append(node_id)
        else:
            rows.append(f"((SELECT id FROM {nodes} WHERE path = %s), %s, %s, %s, %s, %s, %s, %s, 0, 0)")  # noqa: S608 - table name from the model
            params.append(prefix)
        params += [prefix, subtree, day.isoformat(), *values]
    updates = ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in DAY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (node_id, path, subtree, day, {', '.join(DAY_COLUMNS)}, overdue, late3) "  # noqa: S608 - names from the model, values are parameters
            f"VALUES {', '.join(rows)} ON CONFLICT (node_id, subtree, day) DO UPDATE SET {updates}",
            params,
        )


def rollup_matter_created(*, matter: Matter) -> None:
    """A new matter (reported, open): two statements in the creating transaction."""
    _tally_add([(key_of(matter), 1)])
    _day_add(
        node_id=matter.node_id,
        path=matter.path,
        day=timezone.localdate(matter.created_at),
        created=1,
        entered=1 if matter.state in OPEN_STATES else 0,
    )


def rollup_matter_changed(*, before: TallyKey, matter: Matter, source: str, target: str) -> None:
    """A matter moved from `before` to its current key (a transition, with
    whatever due date it set): one statement for the tally, one for the day
    when it was closed or entered or left the open states."""
    after = key_of(matter)
    if after != before:
        _tally_add([(before, -1), (after, 1)])
    was_open, is_open = source in OPEN_STATES, target in OPEN_STATES
    _day_add(
        node_id=matter.node_id,
        path=matter.path,
        day=timezone.localdate(),
        closed=1 if target == State.CLOSED else 0,
        entered=1 if is_open and not was_open else 0,
        exited=1 if was_open and not is_open else 0,
    )


# --- Late counts at the end of a day (the nightly job) ---------------------------------


def late_by_node(*, today: datetime.date, rows: Iterable[tuple[int, str, datetime.date, int, int]]) -> dict:
    """{node_id: [path, overdue, late3]} from tally rows (node_id, path,
    due_date, deadline_days, total) of deadline states, as the queue counts
    them on `today`."""
    rows = list(rows)
    cutoffs = late3_cutoffs(today=today, deadline_days={row[3] for row in rows if row[3]})
    late: dict[int, list[Any]] = {}
    for node_id, path, due, days, total in rows:
        if due >= today or not total:
            continue
        entry = late.setdefault(node_id, [path, 0, 0])
        entry[1] += total
        cutoff = cutoffs.get(days)
        if cutoff is not None and due <= cutoff:
            entry[2] += total
    return late


def _late_rows(path: str = "") -> Any:
    return (
        MatterTally.objects.filter(path__startswith=path, subtree=False, state__in=DEADLINE_STATES)
        .exclude(total=0)
        .order_by()
        .values_list("node_id", "path", "due_date", "deadline_days", "total")
    )


def node_ids(paths: Iterable[str]) -> dict[str, int]:
    paths = set(paths)
    return dict(Node.objects.filter(path__in=paths).values_list("path", "pk")) if paths else {}


def with_subtrees(late: dict[int, list[Any]]) -> dict[tuple[int, bool], list[Any]]:
    """{(node_id, subtree): [path, overdue, late3]}: each node's own late
    counts, and summed into the subtree row of the node and every ancestor."""
    rows: dict[tuple[int, bool], list[Any]] = {}
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for node_id, (path, overdue, late3) in late.items():
        rows[(node_id, False)] = [path, overdue, late3]
        for prefix in ancestor_paths(path):
            sums[prefix][0] += overdue
            sums[prefix][1] += late3
    ids = node_ids(sums)
    for prefix, (overdue, late3) in sums.items():
        rows[(ids[prefix], True)] = [prefix, overdue, late3]
    return rows


def _write_late(day: datetime.date, late: dict[int, list[Any]]) -> None:
    MatterDay.objects.filter(day=day).exclude(overdue=0, late3=0).update(overdue=0, late3=0)
    MatterDay.objects.bulk_create(
        [
            MatterDay(node_id=node_id, path=path, subtree=subtree, day=day, overdue=overdue, late3=late3)
            for (node_id, subtree), (path, overdue, late3) in sorted(with_subtrees(late).items())
        ],
        update_conflicts=True,
        unique_fields=["node", "subtree", "day"],
        update_fields=["overdue", "late3"],
        batch_size=1000,
    )
    MatterSnapshotDay.objects.update_or_create(day=day, defaults={"taken_at": timezone.now()})


def matter_rollup_snapshot(*, day: datetime.date) -> int:
    """Record the late and 3x late counts per node at the end of `day` (the
    nightly job, just after midnight, for the day that ended), from the tally
    as the queue would have counted on `day`. Idempotent. Returns the number
    of nodes with a late matter."""
    with transaction.atomic():
        late = late_by_node(today=day, rows=_late_rows())
        _write_late(day, late)
    return len(late)


def matter_rollup_backfill(*, days: Iterable[datetime.date]) -> int:
    """Record the late counts of past days the nightly job missed, from the
    matters' timelines (history.py). Returns the number of days written."""
    days = set(days)
    recorded = set(MatterSnapshotDay.objects.filter(day__in=list(days)).values_list("day", flat=True))
    wanted = sorted(days - recorded)
    if not wanted:
        return 0
    scanned = end_of_days(path="", days=wanted)
    paths = dict(Node.objects.filter(pk__in={node_id for node_id, _ in scanned}).values_list("pk", "path"))
    with transaction.atomic():
        for day in wanted:
            late = {
                node_id: [paths[node_id], counts.overdue, counts.late3]
                for (node_id, when), counts in scanned.items()
                if when == day and (counts.overdue or counts.late3)
            }
            _write_late(day, late)
    return len(wanted)


# How far back the nightly job fills in days it missed (a stopped worker).
CATCH_UP_DAYS = 7


def matter_rollup_nightly(*, today: datetime.date | None = None) -> int:
    """The nightly job: record yesterday's late counts from the tally, then
    fill in from the timelines any of the week before that a stopped worker
    missed. Returns how many days were written."""
    yesterday = (today or timezone.localdate()) - datetime.timedelta(days=1)
    matter_rollup_snapshot(day=yesterday)
    missed = [yesterday - datetime.timedelta(days=i) for i in range(1, CATCH_UP_DAYS + 1)]
    return 1 + matter_rollup_backfill(days=missed)
