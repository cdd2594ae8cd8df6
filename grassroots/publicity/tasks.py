"""Celery tasks of 晒事."""

from __future__ import annotations

from celery import shared_task

from .services import publications_end_due


@shared_task(ignore_result=True)
def end_due_publications() -> int:
    """Daily (celery beat, 00:10 Asia/Shanghai): publications whose period is over become ended."""
    return publications_end_due()
