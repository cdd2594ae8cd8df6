"""Domain errors of account management (ADR 0025)."""

from __future__ import annotations

from grassroots.core.errors import Conflict, DomainError


class AccountRuleDenied(DomainError):
    """A 三权分立 rule forbids this actor this account write. Audited as a denial."""

    status = 403


class AccountInvalid(DomainError):
    """Bad input: nothing was changed."""

    status = 400


class GrantConflict(Conflict):
    """The grant request is no longer in a state that allows the action."""
