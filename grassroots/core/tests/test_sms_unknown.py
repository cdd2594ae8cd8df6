"""A gateway that took a message and whose answer was lost (ADR 0056): the
outcome is unknown, so the next provider is not tried (that could send it
twice), the row is held for the receipt window, the receipt found by our
OutId settles it as sent, and without a receipt it is sent again only after
the window. A gateway that could not be reached at all still falls back."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.core.models import Notification
from grassroots.core.notifications import delivery
from grassroots.core.notifications.delivery import DeliveryOutcome
from grassroots.core.notifications.sms.providers import Disposition, transport_outcome

from .test_sms_gateways import aliyun, gateways, post, send, tencent  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def stalling(gateways, settings):  # noqa: F811 - the imported fixture
    aliyun_server, tencent_server = gateways
    settings.SMS_GATEWAY_TIMEOUT_MS = 500
    aliyun_server.state.stall_seconds = 1.5
    return aliyun_server, tencent_server


def test_no_answer_holds_the_row_and_never_falls_back(stalling):
    aliyun_server, tencent_server = stalling
    notification, outcome = send()
    assert outcome is DeliveryOutcome.HELD
    assert len(aliyun_server.state.sent) == 1 and tencent_server.state.requests == 0
    assert notification.status == Notification.Status.PENDING and notification.provider == "aliyun"
    assert notification.hold_until is not None and "结果未知" in notification.last_error
    assert [(a.provider, a.outcome) for a in notification.sms_attempts.all()] == [("aliyun", "unknown")]
    # Within the window nothing sends it again, neither a retry nor the periodic task.
    assert delivery.notification_deliver(notification_id=notification.pk, last_try=True) is DeliveryOutcome.SKIPPED
    assert delivery.notifications_requeue_unsent(schedule=lambda pk: None) == []
    assert len(aliyun_server.state.sent) == 1 and tencent_server.state.requests == 0


def test_the_receipt_settles_a_held_row_as_sent(stalling):
    aliyun_server, _tencent_server = stalling
    notification, _outcome = send()
    assert post("aliyun", aliyun_server.receipt_push()).status_code == 200
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT and notification.hold_until is None
    assert notification.provider_message_id == aliyun_server.state.sent[0].message_id
    assert notification.receipt_status == Notification.Receipt.DELIVERED
    assert delivery.notification_deliver(notification_id=notification.pk, last_try=True) is DeliveryOutcome.SKIPPED
    assert len(aliyun_server.state.sent) == 1


def test_without_a_receipt_the_row_is_sent_again_after_the_window(stalling):
    aliyun_server, tencent_server = stalling
    notification, _outcome = send()
    aliyun_server.state.stall_seconds = 0
    past = timezone.now() - datetime.timedelta(seconds=1)
    Notification.objects.filter(pk=notification.pk).update(hold_until=past, updated_at=past - delivery.STALLED_AFTER)
    assert delivery.notifications_requeue_unsent(schedule=lambda pk: None) == [notification.pk]
    assert delivery.notification_deliver(notification_id=notification.pk, last_try=False) is DeliveryOutcome.SENT
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT and notification.hold_until is None
    assert len(aliyun_server.state.sent) == 2 and tencent_server.state.requests == 0


def test_an_unreachable_gateway_still_falls_back(gateways, settings):  # noqa: F811
    settings.SMS_ALIYUN_ENDPOINT = "127.0.0.1:9"  # discard port: connection refused
    notification, outcome = send()
    assert outcome is DeliveryOutcome.SENT and notification.provider == "tencent"
    assert [(a.provider, a.outcome) for a in notification.sms_attempts.order_by("pk")] == [
        ("aliyun", "fallback"),
        ("tencent", "accepted"),
    ]


@pytest.mark.parametrize(
    ("error", "disposition"),
    [
        (ConnectionRefusedError(111, "Connection refused"), Disposition.FALLBACK),
        (OSError("[Errno -2] Name or service not known"), Disposition.FALLBACK),
        (TimeoutError("Read timed out. (read timeout=10)"), Disposition.UNKNOWN),
        (ConnectionResetError(104, "Connection reset by peer"), Disposition.UNKNOWN),
    ],
)
def test_transport_errors_are_classified(error, disposition):
    assert transport_outcome(error).disposition is disposition
