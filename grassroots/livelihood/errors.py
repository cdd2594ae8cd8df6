"""Domain errors of the livelihood app (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import DomainError


class LivelihoodError(DomainError):
    pass


class LivelihoodConflict(LivelihoodError):
    """The object's state does not allow the action, or someone else changed
    it first (409, like every other workflow)."""

    status = 409
