"""Periodic job: on the 1st of every month, one appraisal session per
village for the month just ended (idempotent: run it twice, nothing new)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from grassroots.regions.models import Level, Node

from .services.sessions import previous_month, session_create


def create_monthly_sessions(*, today: datetime.date | None = None) -> int:
    month = previous_month(today or timezone.localdate())
    created = 0
    for village in Node.objects.filter(level=Level.VILLAGE).order_by("path"):
        _session, new = session_create(village=village, month=month)
        created += int(new)
    return created


@shared_task(name="grassroots.evaluation.tasks.create_monthly_appraisal_sessions")
def create_monthly_appraisal_sessions() -> int:
    return create_monthly_sessions()
