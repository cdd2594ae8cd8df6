"""Writes to the notification outbox.

A notification row is written in the caller's transaction; its delivery task
is queued with `transaction.on_commit`, so a rolled-back change sends nothing
and a committed one is never lost: if queueing fails (broker down) the row
stays pending and `retry_unsent_notifications` picks it up.

Delivery claims a row before sending it. There is no "sending" status, so a
claim is a pending row whose `sent_at` is set: `sent_at` on a *pending* row is
the time the current attempt started (a lease), on a *sent* row the time it was
sent. The claim is one conditional UPDATE, which is atomic on SQLite and
PostgreSQL alike, so two workers never send the same row at the same time, and
a sent row is never sent again. A claim older than `CLAIM_LEASE` (a worker died
mid-send) may be taken over.

In-app notifications have nothing to transmit: delivery only marks them sent.
The inbox (see `selectors`) shows them whatever their status, so a stopped
worker delays no in-app message.
"""

from __future__ import annotations

import datetime
import enum
import logging
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from grassroots.core.errors import DomainError, NotFound
from grassroots.core.links import public_url
from grassroots.core.models import Notification
from grassroots.core.validators import PhoneError, normalise_mobile_number

from . import backends

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

logger = logging.getLogger(__name__)

Channel = Notification.Channel
Status = Notification.Status

# Attempts over the whole life of a row (the periodic task reopens failed rows
# until they reach it); one Celery retry chain makes at most
# `tasks.MAX_TASK_RETRIES + 1` attempts.
MAX_ATTEMPTS = 10
CLAIM_LEASE = datetime.timedelta(minutes=10)
# `notifications_requeue_unsent` windows.
NEVER_TRIED_AFTER = datetime.timedelta(minutes=2)
STALLED_AFTER = datetime.timedelta(minutes=15)
FAILED_REOPEN_AFTER = datetime.timedelta(minutes=30)
REQUEUE_BATCH = 500

_SUBJECT_MAX = Notification._meta.get_field("subject").max_length or 200
_LAST_ERROR_MAX = 2000


class DeliveryOutcome(enum.StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # already sent, failed, claimed by another worker, or gone
    RETRY = "retry"  # this attempt failed; the row stays pending
    FAILED = "failed"  # this attempt failed and was the last one


def normalise_mobile(value: str, *, field: str = "address") -> str:
    """core.validators.normalise_mobile_number as a DomainError on `field`."""
    try:
        return normalise_mobile_number(value)
    except PhoneError as exc:
        code = "notification_phone_invalid" if exc.code == "phone_invalid" else exc.code
        raise DomainError(code, exc.message, field=field) from None


def _clean_address(channel: str, address: str) -> str:
    if channel == Channel.SMS:
        return normalise_mobile(address)
    if channel == Channel.EMAIL:
        email = (address or "").strip()
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError("notification_email_invalid", "电子邮箱格式不正确。", field="address") from None
        return email
    return ""  # in-app notifications have no address


def _schedule_delivery(notification_id: int) -> None:
    transaction.on_commit(partial(_queue_delivery, notification_id))


def _queue_delivery(notification_id: int) -> None:
    from .tasks import deliver_notification  # tasks import this module

    try:
        deliver_notification.delay(notification_id)
    except Exception:
        # The row is committed and pending; the periodic task will queue it.
        logger.exception("Could not queue notification %s; it stays pending for the retry task.", notification_id)


def notification_enqueue(
    *,
    channel: str,
    subject: str,
    body: str,
    recipient: AbstractBaseUser | None = None,
    address: str = "",
    link: str = "",
    dedupe_key: str | None = None,
) -> Notification:
    """Write a notification in the caller's transaction and queue its delivery
    after commit. With `dedupe_key`, an existing row with that key is returned
    and nothing new is queued."""
    if channel not in Channel.values:
        raise DomainError("notification_channel_invalid", "不支持的通知渠道。", field="channel")
    if channel == Channel.IN_APP and recipient is None:
        raise DomainError("notification_recipient_required", "站内消息必须指定接收用户。", field="recipient")
    subject = (subject or "").strip()
    if len(subject) > _SUBJECT_MAX:
        raise DomainError("notification_subject_too_long", f"通知标题不能超过{_SUBJECT_MAX}个字符。", field="subject")
    if not (body or "").strip():
        raise DomainError("notification_body_required", "通知内容不能为空。", field="body")
    clean_address = _clean_address(channel, address)

    if dedupe_key:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():  # a savepoint, so a duplicate key does not spoil the caller's transaction
            notification = Notification.objects.create(
                channel=channel,
                recipient=recipient,
                address=clean_address,
                subject=subject,
                body=body,
                link=link,
                dedupe_key=dedupe_key or None,
            )
    except IntegrityError:
        if dedupe_key:
            existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
            if existing is not None:
                return existing
        raise
    _schedule_delivery(notification.pk)
    return notification


def notify_user(
    user: AbstractBaseUser, subject: str, body: str, link: str = "", *, dedupe_key: str | None = None
) -> Notification:
    """An in-app notification for one user."""
    return notification_enqueue(
        channel=Channel.IN_APP, recipient=user, subject=subject, body=body, link=link, dedupe_key=dedupe_key
    )


def notify_sms(
    phone: str,
    body: str,
    *,
    subject: str = "短信通知",
    recipient: AbstractBaseUser | None = None,
    link: str = "",
    dedupe_key: str | None = None,
) -> Notification:
    """A text message. `subject` is only a label for staff; the SMS carries
    `body` (and `link`, made absolute)."""
    return notification_enqueue(
        channel=Channel.SMS,
        address=phone,
        recipient=recipient,
        subject=subject,
        body=body,
        link=link,
        dedupe_key=dedupe_key,
    )


def notify_email(
    email: str,
    subject: str,
    body: str,
    *,
    recipient: AbstractBaseUser | None = None,
    link: str = "",
    dedupe_key: str | None = None,
) -> Notification:
    return notification_enqueue(
        channel=Channel.EMAIL,
        address=email,
        recipient=recipient,
        subject=subject,
        body=body,
        link=link,
        dedupe_key=dedupe_key,
    )


def notification_mark_read(*, user: AbstractBaseUser, notification_id: int) -> Notification:
    """Mark one of the user's in-app notifications read. Someone else's (or a
    non-existent) notification is `NotFound`, and nothing changes."""
    notification = Notification.objects.filter(pk=notification_id, recipient=user, channel=Channel.IN_APP).first()
    if notification is None:
        raise NotFound("未找到该通知,或您无权查看。")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now, updated_at=now)
        notification.refresh_from_db(fields=["read_at", "updated_at"])
    return notification


def notification_mark_all_read(*, user: AbstractBaseUser) -> int:
    now = timezone.now()
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )


def _absolute_link(link: str) -> str:
    if link.startswith("/"):
        return public_url(link)
    return link


def _with_link(body: str, link: str) -> str:
    return f"{body}\n{_absolute_link(link)}" if link else body


def _transmit(notification: Notification) -> None:
    if notification.channel == Channel.SMS:
        backends.get_sms_backend().send(
            phone=notification.address,
            body=_with_link(notification.body, notification.link),
            notification=notification,
        )
    elif notification.channel == Channel.EMAIL:
        backends.send_email(
            address=notification.address,
            subject=notification.subject,
            body=_with_link(notification.body, notification.link),
        )
    # In-app: the row is the message.


def notification_deliver(*, notification_id: int, last_try: bool) -> DeliveryOutcome:
    """Make one delivery attempt. Safe to call any number of times: only a
    pending, unclaimed row is sent. On failure the error is kept on the row;
    the row becomes `failed` when `last_try` or `MAX_ATTEMPTS` is reached, and
    is never deleted."""
    claim_time = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, status=Status.PENDING)
        .filter(Q(sent_at__isnull=True) | Q(sent_at__lt=claim_time - CLAIM_LEASE))
        .update(attempts=F("attempts") + 1, sent_at=claim_time, updated_at=claim_time)
    )
    if not claimed:
        return DeliveryOutcome.SKIPPED
    notification = Notification.objects.get(pk=notification_id)
    ours = Notification.objects.filter(pk=notification_id, status=Status.PENDING, sent_at=claim_time)
    try:
        _transmit(notification)
    except Exception as exc:
        final = last_try or notification.attempts >= MAX_ATTEMPTS
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
    if not ours.update(status=Status.SENT, sent_at=now, updated_at=now):
        logger.warning("Notification %s was sent but its claim had been taken over.", notification_id)
    return DeliveryOutcome.SENT


def notifications_requeue_unsent() -> list[int]:
    """Queue delivery again for rows that fell through: pending rows never
    tried (their queueing was lost), pending rows whose retry stalled (a worker
    died, a retry message was lost), and failed rows below `MAX_ATTEMPTS`
    (reopened as pending). Returns the ids queued."""
    now = timezone.now()
    pending = Notification.objects.filter(status=Status.PENDING).filter(
        Q(attempts=0, created_at__lt=now - NEVER_TRIED_AFTER) | Q(attempts__gt=0, updated_at__lt=now - STALLED_AFTER)
    )
    ids = list(pending.order_by("pk").values_list("pk", flat=True)[:REQUEUE_BATCH])
    failed = Notification.objects.filter(
        status=Status.FAILED, attempts__lt=MAX_ATTEMPTS, updated_at__lt=now - FAILED_REOPEN_AFTER
    )
    reopen = list(failed.order_by("pk").values_list("pk", flat=True)[: max(0, REQUEUE_BATCH - len(ids))])
    if reopen:
        Notification.objects.filter(pk__in=reopen, status=Status.FAILED).update(status=Status.PENDING, updated_at=now)
    queued = sorted({*ids, *reopen})
    for notification_id in queued:
        _schedule_delivery(notification_id)
    return queued
