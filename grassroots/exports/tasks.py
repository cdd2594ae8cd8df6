from __future__ import annotations

from celery import shared_task

from .services import export_requests_expire_due


@shared_task(name="exports.expire_due")
def exports_expire_due() -> int:
    """Mark expired approvals and stale requests (idempotent; celery beat)."""
    return export_requests_expire_due()
