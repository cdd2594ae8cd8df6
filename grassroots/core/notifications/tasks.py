"""Celery tasks of the outbox, and the one way to queue a delivery. The tasks
take ids, parse nothing else, and call `delivery`, which holds the rules
(claiming, retry limits)."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import shared_task
from django.db import transaction

from . import delivery

logger = logging.getLogger(__name__)

MAX_TASK_RETRIES = 4  # five attempts per chain
RETRY_BASE_SECONDS = 30  # 30 s, 60 s, 120 s, 240 s


def retry_countdown(retries: int) -> int:
    return RETRY_BASE_SECONDS * 2**retries


def schedule_delivery(notification_id: int) -> None:
    """Queue the row's delivery once the caller's transaction commits."""
    transaction.on_commit(partial(_queue_delivery, notification_id))


def _queue_delivery(notification_id: int) -> None:
    try:
        deliver_notification.delay(notification_id)
    except Exception:
        # The row is committed and pending; the periodic task will queue it.
        logger.exception("Could not queue notification %s; it stays pending for the retry task.", notification_id)


@shared_task(bind=True, max_retries=MAX_TASK_RETRIES, acks_late=True, ignore_result=True)
def deliver_notification(self: Any, notification_id: int) -> str:
    """Deliver one notification. Idempotent: a row that is already sent,
    failed or being sent by another worker is skipped."""
    last_try = self.request.retries >= self.max_retries
    outcome = delivery.notification_deliver(notification_id=notification_id, last_try=last_try)
    if outcome is delivery.DeliveryOutcome.RETRY and not self.request.is_eager:
        raise self.retry(countdown=retry_countdown(self.request.retries))
    # Eager mode (the embedded default, tests) has no worker to wait out a
    # countdown, and Celery would raise `Retry` into the caller: the row stays
    # pending and `retry_unsent_notifications` tries it again later.
    return outcome.value


@shared_task(ignore_result=True)
def retry_unsent_notifications() -> int:
    """Periodic (celery beat): queue again what fell through. Returns how many."""
    return len(delivery.notifications_requeue_unsent(schedule=schedule_delivery))
