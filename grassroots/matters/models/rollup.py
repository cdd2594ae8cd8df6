"""The rollup behind the matter figures (ADR 0047): kept by the matter
services (services/rollup.py), read by selectors/figures.py."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.regions.models import Node

# The due date of a tally row with none (reported, resolved, closed …): far
# enough in the future never to be "before today", and not NULL, so that the
# row's key is unique on every database.
NO_DUE_DATE = datetime.date(9999, 12, 31)
# The due date of a subtree row that counts the matters of its state and
# deadline over all their due dates (ADR 0047, "all due dates"): late is that
# less the rows due today or later, 3x late that less the rows after the
# cutoff, so the figures read only the few recent rows per due date.
ANY_DUE_DATE = datetime.date(1, 1, 1)


class MatterTally(models.Model):
    """How many matters are now in `state` with this due date and deadline:
    anchored at `node` itself (`subtree` false), or anywhere in the subtree
    of `node`, `node` included (`subtree` true; ADR 0047, "per ancestor").
    Kept by the matter services in the transaction of every creation and
    transition (services/rollup.py): one upsert adds the change to the
    node's own row and to the subtree row of each of its ancestors, so a
    subtree's figures read only the subtree rows of that one node, and late
    / 3× late follow from the due dates without a nightly update."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255, db_index=True)  # the path of `node`
    subtree = models.BooleanField(default=False)
    state = models.CharField(max_length=20)  # a matter State value
    due_date = models.DateField(default=NO_DUE_DATE)
    deadline_days = models.PositiveSmallIntegerField(default=0)
    total = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("事项统计(当前)")
        verbose_name_plural = _("事项统计(当前)")
        constraints = [
            models.UniqueConstraint(
                fields=["node", "subtree", "state", "due_date", "deadline_days"], name="matter_tally_unique_node_key"
            ),
        ]
        indexes = [
            # The figures read a node's subtree rows: on PostgreSQL an
            # index-only scan of this (total included) instead of a visit to
            # each heap page (SQLite has no INCLUDE: a plain partial index).
            models.Index(
                fields=["node", "state", "due_date", "deadline_days"],
                include=["total"],
                condition=models.Q(subtree=True),
                name="matter_tally_subtree_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path}{'*' if self.subtree else ''} {self.state} {self.due_date} {self.total}"


class MatterDay(models.Model):
    """What happened on `day` (local date) to the matters anchored at `node`
    (`subtree` false) or anywhere in its subtree (`subtree` true, ADR 0047
    "per ancestor": a subtree's trend reads one row per day): created, closed
    (已关闭), entered and left the open states (so that the number open at the
    end of any past day follows from today's), and the late and 3× late
    counts at the end of the day, written by the nightly job
    (`MatterSnapshotDay` records which days it wrote)."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255, db_index=True)
    subtree = models.BooleanField(default=False)
    day = models.DateField(db_index=True)
    created = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)
    entered = models.IntegerField(default=0)
    exited = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    late3 = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("事项统计(每日)")
        verbose_name_plural = _("事项统计(每日)")
        constraints = [
            models.UniqueConstraint(fields=["node", "subtree", "day"], name="matter_day_unique_node_subtree_day"),
        ]

    def __str__(self) -> str:
        return f"{self.path}{'*' if self.subtree else ''} {self.day}"


class MatterSnapshotDay(models.Model):
    """A day whose end-of-day late and 3× late counts are in `MatterDay`."""

    day = models.DateField(unique=True)
    taken_at = models.DateTimeField()

    class Meta:
        verbose_name = _("事项统计快照日")
        verbose_name_plural = _("事项统计快照日")

    def __str__(self) -> str:
        return str(self.day)
