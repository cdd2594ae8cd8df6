"""Domain errors of 晒事 (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import DomainError


class PublicityError(DomainError):
    pass


class PublicityConflict(PublicityError):
    """The publication's state does not allow the action (409, like every other workflow)."""

    status = 409
