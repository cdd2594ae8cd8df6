"""Who may open the big screen and manage its display tokens: subdistrict
staff (`VIEW_BIGSCREEN`, `MANAGE_SCREENS`); a token is managed within the
issuer's subtree (404 outside it). The kiosk URL needs no login: its token
is the credential, checked on every request (ADR 0049)."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import actor_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import PermissionDenied
from grassroots.core.scoping import require_in_scope


def can_view(actor: Any) -> bool:
    return actor_can(actor, Capability.VIEW_BIGSCREEN)


def can_manage(actor: Any) -> bool:
    return actor_can(actor, Capability.MANAGE_SCREENS)


def require_manage(actor: Actor, row: Any | None = None) -> None:
    """Scope (404) first, then the capability (403)."""
    if row is not None:
        require_in_scope(actor, row)
    if not can_manage(actor):
        raise PermissionDenied("只有街道工作人员可以发放或停用大屏令牌。")
