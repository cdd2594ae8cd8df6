"""What a gateway adapter answers. Each adapter maps its provider's codes to
one of three dispositions: accepted; `FALLBACK` (this provider cannot send it
now: limits, balance, an unapproved template, a network or server error; the
next provider may); `REJECTED` (the number itself is refused: no provider
will do better, so the message stops)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


class Disposition(enum.StrEnum):
    ACCEPTED = "accepted"
    FALLBACK = "fallback"
    REJECTED = "rejected"


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
