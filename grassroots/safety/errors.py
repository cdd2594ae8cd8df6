"""Domain errors of the safety inspections (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import DomainError


class SafetyError(DomainError):
    pass


class SafetyConflict(SafetyError):
    """The object's state does not allow the action, or someone else changed
    it first (409, like every other workflow)."""

    status = 409
