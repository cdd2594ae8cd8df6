"""A test message from 渠道配置 (ADR 0053): the security administrator types
a number and the platform sends one SMS of the `core.channel_test` kind
through the configured backend at once (not waiting for the worker), so the
page can show the outcome and each gateway attempt. The number is kept
encrypted on the outbox row and shown masked; the send is audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from grassroots.core.audit import audit_record
from grassroots.core.masking import mask_phone
from grassroots.core.models import Notification

from ..credentials import TEST_SMS_ACTION
from ..delivery import notification_deliver
from ..services import normalise_mobile, notify_sms
from .gateway import provider_label
from .kinds import sms_kind

TEST_KIND = sms_kind("core.channel_test", "渠道测试短信", ("time",))


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    status: str
    masked_phone: str
    provider: str
    error: str
    attempts: list[str]


def sms_test_send(*, actor: Any, phone: str) -> ProbeResult:
    """Send one test SMS to `phone` now and report what happened."""
    number = normalise_mobile(phone, field="phone")
    stamp = timezone.localtime().strftime("%m-%d %H:%M")
    notification = notify_sms(
        number,
        f"【测试】这是一条渠道测试短信({stamp}),收到即表示短信通道可用。",
        kind=TEST_KIND,
        params={"time": stamp},
        subject="渠道测试短信",
        respect_preference=False,  # the administrator's own test, asked for now
    )
    notification_deliver(notification_id=notification.pk, last_try=True)
    row = Notification.objects.prefetch_related("sms_attempts").get(pk=notification.pk)
    attempts = [
        f"{provider_label(a.provider)}:{a.get_outcome_display()}{f'({a.code})' if a.code else ''}"
        for a in row.sms_attempts.all()
    ]
    audit_record(
        action=TEST_SMS_ACTION,
        actor=actor,
        obj=row,
        detail={"status": row.status, "provider": row.provider, "phone": mask_phone(number)},
    )
    return ProbeResult(
        ok=row.status == Notification.Status.SENT,
        status=row.get_status_display(),
        masked_phone=mask_phone(number),
        provider=provider_label(row.provider) if row.provider else "",
        error=row.last_error,
        attempts=attempts,
    )
