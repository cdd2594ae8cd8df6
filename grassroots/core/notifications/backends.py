"""Channel backends. SMS goes through a pluggable backend named by the
`SMS_BACKEND` setting; email goes through Django's `send_mail` and therefore
the `EMAIL_BACKEND` setting. A backend raises on failure; the delivery service
records the error and retries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from grassroots.core.models import Notification, SmsMessage


@dataclass(frozen=True)
class SmsSendResult:
    """Who took the message and under which id its receipt will come."""

    provider: str
    message_id: str = ""


class SmsRejected(Exception):
    """The message can never be sent (the number is refused): no retry."""


class SmsOutcomeUnknown(Exception):
    """A gateway got the request and gave no answer: it may have sent the
    message. Neither another gateway nor a retry may send it before the
    receipt window ends (ADR 0056)."""

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(message)
        self.provider = provider


class SmsLimited(Exception):
    """A per-number or per-day limit stopped the message before any gateway."""


@runtime_checkable
class SmsBackend(Protocol):
    """Interface of an SMS gateway (structural). `send` must raise when the
    message was not accepted (`SmsRejected` when retrying is pointless,
    `SmsOutcomeUnknown` when the gateway may have taken it); returning means
    the gateway took it."""

    def send(self, *, phone: str, body: str, notification: Notification) -> SmsSendResult: ...


class LogTableSmsBackend:
    """The default: writes the message to `SmsMessage` (phone encrypted), where
    staff can read it until a real gateway backend is configured."""

    def send(self, *, phone: str, body: str, notification: Notification) -> SmsSendResult:
        row = SmsMessage.objects.create(phone=phone, body=body, notification=notification)
        return SmsSendResult(provider="log", message_id=str(row.pk))


def get_sms_backend() -> SmsBackend:
    backend_class = import_string(str(settings.SMS_BACKEND))
    backend = backend_class()
    if not isinstance(backend, SmsBackend):
        raise TypeError(f"{settings.SMS_BACKEND} is not an SmsBackend")
    return backend


def send_email(*, address: str, subject: str, body: str) -> None:
    # fail_silently=False: an SMTP error must reach the delivery service so the
    # row is retried instead of being marked sent.
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
