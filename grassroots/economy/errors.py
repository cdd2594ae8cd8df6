"""Domain errors of the collective economy (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import DomainError


class EconomyError(DomainError):
    pass


class EconomyConflict(EconomyError):
    """The plan's state does not allow the action, or someone else changed it
    first (409, like every other workflow)."""

    status = 409
