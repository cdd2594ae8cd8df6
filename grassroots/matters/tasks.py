"""Celery tasks of matters. They parse nothing and call one service each; the
services are idempotent, so a task may run twice without harm."""

from __future__ import annotations

from celery import shared_task

from .services.lifecycle import matters_escalate_overdue
from .services.rollup import matter_rollup_nightly


@shared_task(ignore_result=True)
def escalate_overdue_matters() -> int:
    """Daily (celery beat, 07:00 Asia/Shanghai): escalate each overdue open
    matter one level up the tree, at most once a day. Returns how many."""
    return matters_escalate_overdue()


@shared_task(ignore_result=True)
def snapshot_matter_figures() -> int:
    """Nightly (celery beat, 00:05 Asia/Shanghai): yesterday's late and
    3x-late counts per node for the dashboards' trends (ADR 0047). Returns
    how many days were written."""
    return matter_rollup_nightly()
