"""Domain errors of party building (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import DomainError


class PartyError(DomainError):
    pass


class PartyConflict(PartyError):
    """The object's state does not allow the action (409)."""

    status = 409
