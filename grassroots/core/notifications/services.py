"""Writes to the notification outbox.

A notification row is written in the caller's transaction; its delivery task
is queued with `transaction.on_commit`, so a rolled-back change sends nothing
and a committed one is never lost: if queueing fails (broker down) the row
stays pending and `retry_unsent_notifications` picks it up. Delivery itself
is in `delivery`, queueing in `tasks`.

In-app notifications have nothing to transmit: delivery only marks them sent.
The inbox (see `selectors`) shows them whatever their status, so a stopped
worker delays no in-app message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.core.errors import DomainError, NotFound
from grassroots.core.models import Notification
from grassroots.core.validators import PhoneError, normalise_mobile_number

from .delivery import CLAIM_LEASE as CLAIM_LEASE
from .delivery import MAX_ATTEMPTS as MAX_ATTEMPTS
from .delivery import DeliveryOutcome as DeliveryOutcome
from .delivery import notification_deliver as notification_deliver
from .preferences import SMS as PREFERENCE_SMS
from .preferences import channel_allowed, contact_preference
from .sms.kinds import SmsKind, build_params
from .sms.kinds import sms_kind as sms_kind
from .tasks import schedule_delivery

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

Channel = Notification.Channel
Status = Notification.Status

_SUBJECT_MAX = Notification._meta.get_field("subject").max_length or 200


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


def notification_enqueue(
    *,
    channel: str,
    subject: str,
    body: str,
    recipient: AbstractBaseUser | None = None,
    address: str = "",
    link: str = "",
    dedupe_key: str | None = None,
    sms_kind: SmsKind | None = None,
    sms_params: Mapping[str, str] | None = None,
    respect_preference: bool = True,
) -> Notification:
    """Write a notification in the caller's transaction and queue its delivery
    after commit. With `dedupe_key`, an existing row with that key is returned
    and nothing new is queued. An SMS names its kind and the kind's template
    parameters (a gateway sends only approved templates). An SMS to a number
    whose owner chose WeChat or no messages (ADR 0056) is kept as a withheld
    row, never queued; only the administrator's test message ignores that."""
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
    kind_code, params = "", []
    if channel == Channel.SMS:
        if sms_kind is None:
            raise DomainError("sms_kind_required", "短信必须指定短信类型。", field="sms_kind")
        kind_code, params = sms_kind.code, build_params(sms_kind, sms_params or {}, link=link)

    if dedupe_key:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    withheld = ""
    if channel == Channel.SMS and respect_preference and not channel_allowed(PREFERENCE_SMS, phone=clean_address):
        choice = contact_preference(phone=clean_address)
        withheld = "接收人已选择不接收消息。" if choice == "none" else "接收人已选择通过微信接收消息。"
    try:
        with transaction.atomic():  # a savepoint, so a duplicate key does not spoil the caller's transaction
            notification = Notification.objects.create(
                channel=channel,
                recipient_id=recipient.pk if recipient is not None else None,
                address=clean_address,
                subject=subject,
                body=body,
                link=link,
                dedupe_key=dedupe_key or None,
                sms_kind=kind_code,
                sms_params=params,
                status=Status.WITHHELD if withheld else Status.PENDING,
                last_error=withheld,
            )
    except IntegrityError:
        if dedupe_key:
            existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
            if existing is not None:
                return existing
        raise
    if not withheld:
        schedule_delivery(notification.pk)
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
    kind: SmsKind,
    params: Mapping[str, str],
    subject: str = "短信通知",
    recipient: AbstractBaseUser | None = None,
    link: str = "",
    dedupe_key: str | None = None,
    respect_preference: bool = True,
) -> Notification:
    """A text message. `subject` is only a label for staff. The log backend
    writes `body` (and `link`, made absolute); a gateway sends the approved
    template of `kind` filled with `params` (see `sms.kinds`)."""
    return notification_enqueue(
        channel=Channel.SMS,
        sms_kind=kind,
        sms_params=params,
        address=phone,
        recipient=recipient,
        subject=subject,
        body=body,
        link=link,
        dedupe_key=dedupe_key,
        respect_preference=respect_preference,
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
    notification = Notification.objects.filter(pk=notification_id, recipient_id=user.pk, channel=Channel.IN_APP).first()
    if notification is None:
        raise NotFound("未找到该通知,或您无权查看。")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now, updated_at=now)
        notification.refresh_from_db(fields=["read_at", "updated_at"])
    return notification


def notification_mark_all_read(*, user: AbstractBaseUser) -> int:
    now = timezone.now()
    return Notification.objects.filter(recipient_id=user.pk, channel=Channel.IN_APP, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )
