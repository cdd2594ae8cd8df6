"""Domain errors of the big screen (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import DomainError


class ScreenError(DomainError):
    pass


class ScreenConflict(ScreenError):
    """The token's state does not allow the action, or someone changed it first."""

    status = 409
