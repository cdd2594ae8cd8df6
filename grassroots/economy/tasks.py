"""Celery tasks of the collective economy."""

from __future__ import annotations

from celery import shared_task
from django.db.models import F, Sum

from .models import DistributionPlan


@shared_task(ignore_result=True)
def plans_check_sums() -> list[int]:
    """The ids of plans whose village amounts do not add up to their total:
    the services never write such a plan, so a hit means the rows were
    changed behind them (a periodic integrity check; read-only)."""
    rows = DistributionPlan.objects.annotate(lines_total=Sum("lines__amount")).exclude(lines_total=F("total"))
    return sorted(rows.values_list("pk", flat=True))
