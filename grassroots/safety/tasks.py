"""Celery tasks of the safety inspections."""

from __future__ import annotations

from celery import shared_task

from .models import Premises
from .services.hazards import escalate_overdue
from .services.premises import premises_index


@shared_task(ignore_result=True)
def reindex_premises() -> int:
    """Rebuild the search entries of every premises (after a change of the
    search normalisation, or a restore); the number indexed."""
    count = 0
    for premises in Premises.objects.select_related("address").order_by("pk").iterator(chunk_size=2000):
        premises_index(premises)
        count += 1
    return count


@shared_task(ignore_result=True)
def escalate_overdue_hazards() -> int:
    """Daily: escalate hazards past their rectification deadline (each once)."""
    return escalate_overdue()
