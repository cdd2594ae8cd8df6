"""Domain errors of the field app (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import DomainError


class FieldError(DomainError):
    """An outbox item (or a photo in it) is not acceptable; nothing was written."""


class FieldConflict(FieldError):
    """A resolution that contradicts an earlier one (409)."""

    status = 409


class SyncConflict(Exception):
    """Raised by an item handler: the world changed since the worker saw it.
    The item is stored with its body and waits for the worker's choice."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message
