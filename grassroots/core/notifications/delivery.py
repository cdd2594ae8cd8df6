"""Delivery of the notification outbox, one attempt at a time.

Delivery claims a row before sending it. There is no "sending" status, so a
claim is a pending row whose `sent_at` is set: `sent_at` on a *pending* row is
the time the current attempt started (a lease), on a *sent* row the time it was
sent. The claim is one conditional UPDATE, which is atomic on SQLite and
PostgreSQL alike, so two workers never send the same row at the same time, and
a sent row is never sent again. A claim older than `CLAIM_LEASE` (a worker died
mid-send) may be taken over.
"""

from __future__ import annotations

import datetime
import enum
import logging
from collections.abc import Callable

from django.db.models import F, Q
from django.utils import timezone

from grassroots.core.links import public_url
from grassroots.core.models import Notification, SmsAttempt

from . import backends
from .sms import limits

logger = logging.getLogger(__name__)

Channel = Notification.Channel
Status = Notification.Status

# Attempts over the whole life of a row (the periodic task reopens failed rows
# until they reach it); one Celery retry chain makes at most
# `tasks.MAX_TASK_RETRIES + 1` attempts.
MAX_ATTEMPTS = 10
CLAIM_LEASE = datetime.timedelta(minutes=10)
# `notifications_requeue_unsent` windows.
# How long a row whose gateway gave no answer waits for a receipt before it
# may be sent again (ADR 0056): both providers push receipts within minutes.
RECEIPT_HOLD = datetime.timedelta(minutes=30)
NEVER_TRIED_AFTER = datetime.timedelta(minutes=2)
STALLED_AFTER = datetime.timedelta(minutes=15)
FAILED_REOPEN_AFTER = datetime.timedelta(minutes=30)
REQUEUE_BATCH = 500
_LAST_ERROR_MAX = 2000


class DeliveryOutcome(enum.StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # already sent, failed, claimed by another worker, or gone
    RETRY = "retry"  # this attempt failed; the row stays pending
    HELD = "held"  # no answer from the gateway: pending, not retried before the receipt window ends
    FAILED = "failed"  # this attempt failed and was the last one


def _absolute_link(link: str) -> str:
    if link.startswith("/"):
        return public_url(link)
    return link


def _with_link(body: str, link: str) -> str:
    return f"{body}\n{_absolute_link(link)}" if link else body


def _transmit_sms(notification: Notification) -> backends.SmsSendResult:
    """Take the limits, then hand the message to the backend; the limits are
    given back when no gateway took it."""
    day = timezone.localdate()
    reason = limits.sms_quota_take(phone=notification.address, day=day)
    if reason:
        SmsAttempt.objects.create(
            notification=notification, provider="quota", outcome=SmsAttempt.Outcome.LIMITED, message=reason
        )
        raise backends.SmsLimited(reason)
    try:
        return backends.get_sms_backend().send(
            phone=notification.address,
            body=_with_link(notification.body, notification.link),
            notification=notification,
        )
    except backends.SmsOutcomeUnknown:
        raise  # maybe sent: the quota stays taken
    except Exception:
        limits.sms_quota_release(phone=notification.address, day=day)
        raise


def _transmit(notification: Notification) -> backends.SmsSendResult | None:
    if notification.channel == Channel.SMS:
        return _transmit_sms(notification)
    if notification.channel == Channel.EMAIL:
        backends.send_email(
            address=notification.address,
            subject=notification.subject,
            body=_with_link(notification.body, notification.link),
        )
    # In-app: the row is the message.
    return None


def notification_deliver(*, notification_id: int, last_try: bool) -> DeliveryOutcome:
    """Make one delivery attempt. Safe to call any number of times: only a
    pending, unclaimed row is sent. On failure the error is kept on the row;
    the row becomes `failed` when `last_try` or `MAX_ATTEMPTS` is reached, and
    is never deleted."""
    claim_time = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, status=Status.PENDING)
        .filter(Q(sent_at__isnull=True) | Q(sent_at__lt=claim_time - CLAIM_LEASE))
        .filter(Q(hold_until__isnull=True) | Q(hold_until__lte=claim_time))
        .update(attempts=F("attempts") + 1, sent_at=claim_time, updated_at=claim_time)
    )
    if not claimed:
        return DeliveryOutcome.SKIPPED
    notification = Notification.objects.get(pk=notification_id)
    ours = Notification.objects.filter(pk=notification_id, status=Status.PENDING, sent_at=claim_time)
    try:
        result = _transmit(notification)
    except backends.SmsOutcomeUnknown as exc:
        # Maybe sent: hold the row (still pending) for the provider's receipt,
        # which settles it (`sms.receipts`); only after the window is it sent again.
        ours.update(
            sent_at=None,
            provider=exc.provider,
            hold_until=claim_time + RECEIPT_HOLD,
            last_error=str(exc)[:_LAST_ERROR_MAX],
            updated_at=timezone.now(),
        )
        logger.warning("Notification %s: no answer from %s; held for its receipt.", notification_id, exc.provider)
        return DeliveryOutcome.HELD
    except backends.SmsLimited as exc:
        # Final: a limit is a decision, not a fault; the row shows 已限流.
        ours.update(
            status=Status.LIMITED, sent_at=None, last_error=str(exc)[:_LAST_ERROR_MAX], updated_at=timezone.now()
        )
        logger.info("Notification %s stopped by an SMS limit: %s", notification_id, exc)
        return DeliveryOutcome.FAILED
    except Exception as exc:
        # A refused number is final at once; anything else is retried.
        final = last_try or notification.attempts >= MAX_ATTEMPTS or isinstance(exc, backends.SmsRejected)
        error = f"{type(exc).__name__}: {exc}"[:_LAST_ERROR_MAX]
        ours.update(
            status=Status.FAILED if final else Status.PENDING,
            sent_at=None,
            last_error=error,
            updated_at=timezone.now(),
        )
        logger.warning(
            "Notification %s attempt %s failed%s: %s",
            notification_id,
            notification.attempts,
            " (giving up)" if final else "",
            error,
        )
        return DeliveryOutcome.FAILED if final else DeliveryOutcome.RETRY
    now = timezone.now()
    gateway = {"provider": result.provider, "provider_message_id": result.message_id[:100]} if result else {}
    if not ours.update(status=Status.SENT, sent_at=now, updated_at=now, hold_until=None, **gateway):
        logger.warning("Notification %s was sent but its claim had been taken over.", notification_id)
    return DeliveryOutcome.SENT


def notifications_requeue_unsent(*, schedule: Callable[[int], None]) -> list[int]:
    """Queue delivery again for rows that fell through: pending rows never
    tried (their queueing was lost), pending rows whose retry stalled (a worker
    died, a retry message was lost), and failed rows below `MAX_ATTEMPTS`
    (reopened as pending). `schedule` queues one (`tasks.schedule_delivery`).
    Returns the ids queued."""
    now = timezone.now()
    pending = (
        Notification.objects.filter(status=Status.PENDING)
        .filter(
            Q(attempts=0, created_at__lt=now - NEVER_TRIED_AFTER)
            | Q(attempts__gt=0, updated_at__lt=now - STALLED_AFTER)
        )
        .filter(Q(hold_until__isnull=True) | Q(hold_until__lte=now))
    )
    ids = list(pending.order_by("pk").values_list("pk", flat=True)[:REQUEUE_BATCH])
    failed = Notification.objects.filter(
        status=Status.FAILED, attempts__lt=MAX_ATTEMPTS, updated_at__lt=now - FAILED_REOPEN_AFTER
    ).exclude(sms_attempts__outcome=SmsAttempt.Outcome.REJECTED)  # a refused number stays failed
    reopen = list(failed.order_by("pk").values_list("pk", flat=True)[: max(0, REQUEUE_BATCH - len(ids))])
    if reopen:
        Notification.objects.filter(pk__in=reopen, status=Status.FAILED).update(status=Status.PENDING, updated_at=now)
    queued = sorted({*ids, *reopen})
    for notification_id in queued:
        schedule(notification_id)
    return queued
