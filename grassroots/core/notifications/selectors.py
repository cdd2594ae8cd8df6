"""Reads of the in-app inbox. The inbox shows a user's in-app notifications
whatever their delivery status (see `services`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

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
