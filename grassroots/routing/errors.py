"""Domain errors of routing (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import DomainError


class RoutingError(DomainError):
    pass
