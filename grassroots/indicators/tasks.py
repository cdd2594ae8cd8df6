"""Celery tasks of the indicator ledger. The ledger is written by people (the
economic-management station) and read on demand; it has no periodic job
yet. `seed_default_indicators` restores the default definitions (idempotent)."""

from __future__ import annotations

from celery import shared_task

from .services.defaults import indicators_seed_defaults


@shared_task(ignore_result=True)
def seed_default_indicators() -> int:
    return indicators_seed_defaults()
