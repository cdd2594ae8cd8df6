"""Celery tasks of the big screen."""

from __future__ import annotations

from celery import shared_task

from .services import screen_tokens_expire


@shared_task(ignore_result=True)
def expire_screen_tokens() -> int:
    """Daily: revoke tokens past their expiry (the kiosk already refuses them;
    this makes the list page and the audit log say so). The number revoked."""
    return screen_tokens_expire()
