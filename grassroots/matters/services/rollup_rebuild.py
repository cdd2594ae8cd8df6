"""Rebuild and check of the matter rollup (ADR 0047): `matter_rollup_rebuild`
recomputes `MatterTally` and `MatterDay` (own and subtree rows) from the
matters and their timelines; `matter_rollup_differences` compares them with
that scan (`manage.py matters_rollup --rebuild / --check`)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from ..models import ANY_DUE_DATE, EventKind, Matter, MatterDay, MatterEvent, MatterSnapshotDay, MatterTally
from ..states import OPEN_STATES, State
from .rollup import (
    DAY_COLUMNS,
    TallyKey,
    ancestor_paths,
    has_due,
    matter_rollup_backfill,
    node_ids,
    tally_key,
    with_subtrees,
)

# --- Rebuild and check ---------------------------------------------------------------------


def _scan_tally() -> dict[TallyKey, int]:
    tally: dict[TallyKey, int] = defaultdict(int)
    rows = (
        Matter.objects.order_by()
        .values_list("node_id", "path", "state", "due_date", "deadline_days")
        .annotate(n=Count("pk"))
    )
    for node_id, path, state, due, days, n in rows.iterator(chunk_size=5000):
        tally[tally_key(node_id=node_id, path=path, state=state, due_date=due, deadline_days=days)] += n
    return tally


def _scan_days() -> dict[tuple[int, datetime.date], dict[str, Any]]:
    """Created per node and day from the matters; closed, entered and left the
    open states from the transitions (a matter is created open)."""
    rows: dict[tuple[int, datetime.date], dict[str, Any]] = {}

    def row(node_id: int, path: str, day: datetime.date) -> dict[str, Any]:
        key = (node_id, day)
        if key not in rows:
            rows[key] = {"path": path} | dict.fromkeys(DAY_COLUMNS, 0)
        return rows[key]

    created = (
        Matter.objects.annotate(day=TruncDate("created_at"))
        .order_by()
        .values_list("node_id", "path", "day")
        .annotate(n=Count("pk"))
    )
    for node_id, path, day, n in created.iterator(chunk_size=5000):
        counts = row(node_id, path, day)
        counts["created"] += n
        counts["entered"] += n
    moves = (
        MatterEvent.objects.filter(kind=EventKind.TRANSITION)
        .annotate(day=TruncDate("created_at"))
        .order_by()
        .values_list("matter__node_id", "matter__path", "day", "from_state", "to_state")
        .annotate(n=Count("pk"))
    )
    for node_id, path, day, source, target, n in moves.iterator(chunk_size=5000):
        was_open, is_open = source in OPEN_STATES, target in OPEN_STATES
        counts = row(node_id, path, day)
        counts["closed"] += n if target == State.CLOSED else 0
        counts["entered"] += n if is_open and not was_open else 0
        counts["exited"] += n if was_open and not is_open else 0
    return rows


def subtree_tally(tally: dict[TallyKey, int]) -> dict[TallyKey, int]:
    """The subtree rows from the nodes' own rows: each row added to the node
    and to every ancestor (keys carry the ancestor's id and path), and, for a
    row with a due date, to the row of its state and deadline over all due
    dates (`ANY_DUE_DATE`)."""
    ids = node_ids(prefix for key in tally for prefix in ancestor_paths(key.path))
    subtrees: dict[TallyKey, int] = defaultdict(int)
    for key, n in tally.items():
        for prefix in ancestor_paths(key.path):
            subtrees[key._replace(node_id=ids[prefix], path=prefix)] += n
            if has_due(key):
                subtrees[key._replace(node_id=ids[prefix], path=prefix, due_date=ANY_DUE_DATE)] += n
    return {key: n for key, n in subtrees.items() if n}


DayRows = dict[tuple[int, datetime.date], dict[str, Any]]


def subtree_days(days: DayRows) -> DayRows:
    """The subtree day rows from the nodes' own day rows (counts summed into
    the node and every ancestor; keys carry the ancestor's id)."""
    ids = node_ids(prefix for counts in days.values() for prefix in ancestor_paths(counts["path"]))
    subtrees: DayRows = {}
    for (_node_id, day), counts in days.items():
        for prefix in ancestor_paths(counts["path"]):
            row = subtrees.setdefault((ids[prefix], day), {"path": prefix} | dict.fromkeys(DAY_COLUMNS, 0))
            for column in DAY_COLUMNS:
                row[column] += counts[column]
    return subtrees


def matter_rollup_rebuild(*, history_days: int = 0) -> dict[str, int]:
    """Recompute the rollup from the matters and their timelines, in one
    transaction (readers see the old rollup until it commits), then record
    the late counts of the last `history_days` days before today from the
    timelines. Returns how many rows were written."""
    tally = _scan_tally()
    subtrees = subtree_tally(tally)
    days = _scan_days()
    day_subtrees = subtree_days(days)
    with transaction.atomic():
        MatterTally.objects.all().delete()
        MatterDay.objects.all().delete()
        MatterSnapshotDay.objects.all().delete()
        MatterTally.objects.bulk_create(
            [
                MatterTally(
                    node_id=key.node_id,
                    path=key.path,
                    subtree=subtree,
                    state=key.state,
                    due_date=key.due_date,
                    deadline_days=key.deadline_days,
                    total=n,
                )
                for subtree, rows in ((False, tally), (True, subtrees))
                for key, n in rows.items()
            ],
            batch_size=2000,
        )
        MatterDay.objects.bulk_create(
            [
                MatterDay(node_id=node_id, subtree=subtree, day=day, **counts)
                for subtree, rows_by_day in ((False, days), (True, day_subtrees))
                for (node_id, day), counts in rows_by_day.items()
            ],
            batch_size=2000,
        )
    today = timezone.localdate()
    backfilled = matter_rollup_backfill(days=[today - datetime.timedelta(days=i) for i in range(1, history_days + 1)])
    return {"tally": len(tally) + len(subtrees), "days": len(days) + len(day_subtrees), "history_days": backfilled}


def matter_rollup_differences(*, limit: int = 20) -> list[str]:
    """Where the rollup differs from a scan of the matters: the tally (every
    state, due date and deadline per node) and each node's day counts
    (created, closed, entered, left). Empty when they agree."""
    differences: list[str] = []
    own = _scan_tally()
    for subtree, scanned in ((False, own), (True, subtree_tally(own))):
        stored = {
            tally_key(
                node_id=row.node_id,
                path=row.path,
                state=row.state,
                due_date=row.due_date,
                deadline_days=row.deadline_days,
            ): row.total
            for row in MatterTally.objects.filter(subtree=subtree).exclude(total=0).order_by()
        }
        label = "subtree" if subtree else "tally"
        for key in sorted(set(scanned) | set(stored)):
            if scanned.get(key, 0) != stored.get(key, 0):
                differences.append(
                    f"{label} {key.path} {key.state} {key.due_date} {key.deadline_days}: "
                    f"rollup {stored.get(key, 0)}, scan {scanned.get(key, 0)}"
                )
    own_days = _scan_days()
    for subtree, scanned_days in ((False, own_days), (True, subtree_days(own_days))):
        label = "day*" if subtree else "day"
        stored_days = {
            (row["node_id"], row["day"]): row
            for row in MatterDay.objects.filter(subtree=subtree).order_by().values("node_id", "day", *DAY_COLUMNS)
        }
        for node_id, day in sorted(set(scanned_days) | set(stored_days)):
            want, have = scanned_days.get((node_id, day), {}), stored_days.get((node_id, day), {})
            for column in DAY_COLUMNS:
                if want.get(column, 0) != have.get(column, 0):
                    differences.append(
                        f"{label} {node_id} {day} {column}: rollup {have.get(column, 0)}, scan {want.get(column, 0)}"
                    )
    differences += _late_subtree_differences()
    return differences[:limit]


def _late_subtree_differences() -> list[str]:
    """The subtree rows' end-of-day late counts against the sums of the own
    rows (the nightly job writes both; the timelines are not rescanned here)."""
    own: dict[datetime.date, dict[int, list[Any]]] = defaultdict(dict)
    rows = MatterDay.objects.filter(subtree=False).exclude(overdue=0, late3=0).order_by()
    for node_id, path, day, overdue, late3 in rows.values_list("node_id", "path", "day", "overdue", "late3"):
        own[day][node_id] = [path, overdue, late3]
    stored: dict[Any, tuple[int, int]] = {
        (node_id, day): (overdue, late3)
        for node_id, day, overdue, late3 in MatterDay.objects.filter(subtree=True)
        .exclude(overdue=0, late3=0)
        .order_by()
        .values_list("node_id", "day", "overdue", "late3")
    }
    wanted: dict[Any, tuple[int, int]] = {
        (node_id, day): (overdue, late3)
        for day, late in own.items()
        for (node_id, subtree), (_path, overdue, late3) in with_subtrees(late).items()
        if subtree
    }
    differences = []
    for key in sorted(set(stored) | set(wanted)):
        have, want = stored.get(key, (0, 0)), wanted.get(key, (0, 0))
        if have != want:
            differences.append(f"late* {key[0]} {key[1]}: rollup {have}, own rows {want}")
    return differences
