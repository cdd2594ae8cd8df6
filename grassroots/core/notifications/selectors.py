"""Reads of the in-app inbox. The inbox shows a user's in-app notifications
whatever their delivery status (see `services`)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from grassroots.core.models import Notification

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


def notifications_for_user(*, user: AbstractBaseUser, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient_id=user.pk, channel=Notification.Channel.IN_APP)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(*, user: AbstractBaseUser) -> int:
    return notifications_for_user(user=user, unread_only=True).count()


def sms_outbox(
    *, status: str = "", receipt: str | None = None, provider: str = "", kind: str = ""
) -> QuerySet[Notification]:
    """The SMS rows of the outbox, newest first, with their gateway attempts
    (for 短信发送记录). Unknown filter values match nothing rather than
    everything (the view offers only known ones)."""
    qs = Notification.objects.filter(channel=Notification.Channel.SMS)
    if status:
        qs = qs.filter(status=status)
    if receipt is not None:
        qs = qs.filter(receipt_status=receipt)
    if provider:
        qs = qs.filter(provider=provider)
    if kind:
        qs = qs.filter(sms_kind=kind)
    return qs.prefetch_related("sms_attempts").order_by("-created_at", "-id")


def sms_outbox_counts() -> dict[str, int]:
    """SMS rows per outbox status, every status present (0 when none)."""
    counts = dict.fromkeys(Notification.Status.values, 0)
    rows = (
        Notification.objects.filter(channel=Notification.Channel.SMS)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for status, n in rows:
        counts[status] = n
    return counts


SMS_STAT_KEYS = ("sent", "delivered", "undelivered", "failed", "limited", "pending")


def sms_stats_by_provider(*, since: datetime.datetime) -> dict[str, dict[str, int]]:
    """SMS since `since` per provider (the one that accepted it; "" for those
    no gateway accepted): sent, delivered/undelivered receipts, failed,
    limited, pending. One query."""
    rows = (
        Notification.objects.filter(channel=Notification.Channel.SMS, created_at__gte=since)
        .values("provider")
        .annotate(
            sent=Count("id", filter=Q(status=Notification.Status.SENT)),
            delivered=Count("id", filter=Q(receipt_status=Notification.Receipt.DELIVERED)),
            undelivered=Count("id", filter=Q(receipt_status=Notification.Receipt.UNDELIVERED)),
            failed=Count("id", filter=Q(status=Notification.Status.FAILED)),
            limited=Count("id", filter=Q(status=Notification.Status.LIMITED)),
            pending=Count("id", filter=Q(status=Notification.Status.PENDING)),
        )
        .order_by("provider")
    )
    return {row["provider"]: {key: row[key] for key in SMS_STAT_KEYS} for row in rows}
