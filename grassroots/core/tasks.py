"""Celery's `autodiscover_tasks()` imports `<app>.tasks`; the core app's tasks
live in sub-packages or modules of their own, imported or wrapped here so that
workers register them."""

from celery import shared_task

from grassroots.core.audit_heads import AuditHeadError, audit_head_sign
from grassroots.core.notifications.tasks import deliver_notification, retry_unsent_notifications

__all__ = ["deliver_notification", "retry_unsent_notifications", "sign_audit_head"]


@shared_task(ignore_result=True)
def sign_audit_head() -> str:
    """Periodic (celery beat): sign the audit chain's head (ADR 0027). A
    refusal (an earlier head no longer covered) is logged as an error by
    `audit_head_sign` and reported by `audit_verify`; retrying cannot help."""
    try:
        head = audit_head_sign()
    except AuditHeadError as exc:
        return str(exc)
    return head.line()
