"""Celery tasks. `weekly_selection_propose` runs on Mondays (beat entry in
config/settings/base.py, wired by the lead) and is idempotent."""

from __future__ import annotations

from celery import shared_task

from grassroots.regions.models import Level, Node

from .services.weekly import weekly_propose


@shared_task(name="deliberation.weekly_selection_propose")
def weekly_selection_propose() -> list[int]:
    """Propose this week's two key villages for every subdistrict."""
    return [weekly_propose(subdistrict=node).pk for node in Node.objects.filter(level=Level.SUBDISTRICT)]
