"""Every account write goes through here: the admin site, the pages, the API
and the commands only parse input and call these (ADR 0025).

三权分立 rules, decided by the actor's *role* (the superuser flag grants
nothing here, so it cannot serve as a backdoor):

- The system administrator creates and maintains working-staff accounts:
  role (working roles only), jurisdiction, activation, password. Never an
  administrator account (their own included), never an administrator role.
- The three administrator roles are granted and revoked only through a
  `RoleGrantRequest`: one security administrator asks, a *different* one
  approves; neither may be the account concerned. Approving a grant makes the
  account's password unusable and returns a one-time link with which the
  person sets their own, so whoever set the password before (the system
  administrator) cannot log in as the new administrator.
- Nobody changes their own role or resets their own credentials here; one's
  own password is changed on the normal password-change page (old password
  required).
- Every write, and every refusal, is in the audit chain.

Callers import from this package; the submodules split it by sub-domain:
`staff` (working-staff accounts), `grants` (administrator roles),
`passwords` (own passwords, command-line administrators), `rules` (what
they share).
"""

from __future__ import annotations

from .grants import (
    GrantOutcome,
    role_grant_approve,
    role_grant_reject,
    role_grant_request,
    second_security_admin_exists,
)
from .passwords import administrator_bootstrap, record_own_password_change, record_password_set_by_link
from .rules import AccountAction, is_admin_account
from .staff import (
    account_check_change,
    account_check_create,
    account_check_password,
    account_create,
    account_may_change,
    account_set_active,
    account_set_password,
    account_update,
    assignable_roles,
)

__all__ = [
    "AccountAction",
    "GrantOutcome",
    "account_check_change",
    "account_check_create",
    "account_check_password",
    "account_create",
    "account_may_change",
    "account_set_active",
    "account_set_password",
    "account_update",
    "administrator_bootstrap",
    "assignable_roles",
    "is_admin_account",
    "record_own_password_change",
    "record_password_set_by_link",
    "role_grant_approve",
    "role_grant_reject",
    "role_grant_request",
    "second_security_admin_exists",
]
