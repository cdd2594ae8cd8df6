"""What a gateway adapter answers. Each adapter maps its provider's codes to
one of three dispositions: accepted; `FALLBACK` (this provider cannot send it
now: limits, balance, an unapproved template, a network or server error; the
next provider may); `REJECTED` (the number itself is refused: no provider
will do better, so the message stops); `UNKNOWN` (the request went out and
no answer came back: the provider may have taken it, so no other provider
is tried and the outbox holds the row for a receipt, ADR 0056)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


class Disposition(enum.StrEnum):
    ACCEPTED = "accepted"
    FALLBACK = "fallback"
    REJECTED = "rejected"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SendOutcome:
    disposition: Disposition
    code: str
    message: str = ""
    message_id: str = ""


class SmsProvider(Protocol):
    name: str
    sign_name: str

    def send(self, *, phone: str, template_id: str, params: list[tuple[str, str]], out_id: str) -> SendOutcome: ...


# A failure before the request could reach the provider: connecting was
# refused or timed out, the name did not resolve. Anything else on the wire
# (a read timeout, a connection dropped mid-answer) may come after the
# provider accepted the message.
_NOT_SENT_MARKERS = (
    "ConnectionRefused",
    "Connection refused",
    "NewConnectionError",
    "ConnectTimeout",
    "connect timeout",
    "Failed to establish a new connection",
    "Name or service not known",
    "nodename nor servname",
    "Temporary failure in name resolution",
    "NameResolutionError",
)


def transport_outcome(exc: BaseException) -> SendOutcome:
    """What a transport error means for a SendSms call: `FALLBACK` when the
    request certainly never reached the provider, else `UNKNOWN`."""
    chain, seen = [], set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(f"{type(current).__name__}: {current}")
        current = current.__cause__ or current.__context__
    text = " | ".join(chain)
    message = f"{type(exc).__name__}: {exc}"[:500]
    if any(marker in text for marker in _NOT_SENT_MARKERS):
        return SendOutcome(Disposition.FALLBACK, "NetworkError", message)
    return SendOutcome(Disposition.UNKNOWN, "NoAnswer", message)
