"""Domain errors of the indicator ledger (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import DomainError


class IndicatorError(DomainError):
    pass


class IndicatorConflict(IndicatorError):
    """The month's ledger state does not allow the action, or someone else
    changed it first (409, like every other workflow)."""

    status = 409
