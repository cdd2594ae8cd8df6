"""Periodic account jobs (ADR 0059)."""

from __future__ import annotations

from celery import shared_task

from .policy.dormant import dormant_accounts_disable


@shared_task(ignore_result=True)
def disable_dormant_accounts() -> int:
    """Daily: disable accounts with no login for ACCOUNT_DORMANT_DAYS (idempotent)."""
    return len(dormant_accounts_disable())
