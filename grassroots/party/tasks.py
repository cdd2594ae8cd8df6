"""Celery tasks of party building."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError
from grassroots.regions.models import Level, Node

from .services.board import board_compute


@shared_task(ignore_result=True)
def compute_monthly_boards() -> int:
    """Monthly (the 1st): compute every subdistrict's 红黄榜 of the month
    just ended as a draft; a published list is left alone. Idempotent."""
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    done = 0
    for subdistrict in Node.objects.filter(level=Level.SUBDISTRICT).order_by("path"):
        try:
            board_compute(actor=SYSTEM, subdistrict=subdistrict, month=month)
        except DomainError:
            continue  # published already: a person withdraws it to recompute
        done += 1
    return done
