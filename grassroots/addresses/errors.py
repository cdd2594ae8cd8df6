"""Domain errors of the standard address register (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import DomainError


class AddressError(DomainError):
    pass


class AddressConflict(AddressError):
    """The address's state does not allow the action, or someone else changed
    it first (409, like every other workflow)."""

    status = 409
