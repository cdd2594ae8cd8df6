"""Celery tasks of the WeChat channels: deliver one group post, article or
subscription message with exponential backoff (30 s, 60 s, 120 s, 240 s),
and a periodic sweep that queues again what fell through. Tasks take ids."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from celery import shared_task
from django.db import transaction

from .services import delivery
from .services.delivery import notice_deliver, post_deliver, requeue_stalled

logger = logging.getLogger(__name__)

MAX_TASK_RETRIES = 4
RETRY_BASE_SECONDS = 30
STALLED_AFTER = datetime.timedelta(minutes=5)


def retry_countdown(retries: int) -> int:
    return RETRY_BASE_SECONDS * 2**retries


def _queue(task: Any, row_id: int) -> None:
    try:
        task.delay(row_id)
    except Exception:
        logger.exception("Could not queue %s(%s); the periodic sweep will.", task.name, row_id)


def schedule_post(post_id: int) -> None:
    transaction.on_commit(partial(_queue, deliver_post, post_id))


def schedule_notice(notice_id: int) -> None:
    transaction.on_commit(partial(_queue, deliver_notice, notice_id))


def _run(task: Any, deliver: Callable[..., Any], row_id: int, keyword: str) -> str:
    last_try = task.request.retries >= task.max_retries
    outcome = deliver(**{keyword: row_id, "last_try": last_try})
    if outcome is delivery.Outcome.RETRY and not task.request.is_eager:
        raise task.retry(countdown=retry_countdown(task.request.retries))
    return str(outcome.value)


@shared_task(bind=True, max_retries=MAX_TASK_RETRIES, acks_late=True, ignore_result=True)
def deliver_post(self: Any, post_id: int) -> str:
    return _run(self, post_deliver, post_id, "post_id")


@shared_task(bind=True, max_retries=MAX_TASK_RETRIES, acks_late=True, ignore_result=True)
def deliver_notice(self: Any, notice_id: int) -> str:
    return _run(self, notice_deliver, notice_id, "notice_id")


@shared_task(ignore_result=True)
def requeue_stalled_channel_messages() -> int:
    """Periodic (celery beat, every 5 minutes)."""
    posts, notices = requeue_stalled(older_than=STALLED_AFTER)
    for pk in posts:
        _queue(deliver_post, pk)
    for pk in notices:
        _queue(deliver_notice, pk)
    return len(posts) + len(notices)
