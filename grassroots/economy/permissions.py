"""Who may do what in the collective economy. Capability (403) and
jurisdiction (404) both apply. Village and subdistrict staff read the
ledgers and record income of their villages; the subdistrict's
economic-management station (MANAGE_ECONOMY) keeps committees, companies and
their shares, and runs the distribution plans. The system passes every
check."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import actor_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import PermissionDenied
from grassroots.core.scoping import require_in_scope

from .states import Action


def can_act(actor: Any, action: str) -> bool:
    return actor_can(actor, Capability.MANAGE_ECONOMY)


def require_action(actor: Actor, action: str, row: Any) -> None:
    """The workflow's permission check: scope (404) first, then the capability (403)."""
    require_in_scope(actor, row)
    if not can_act(actor, action):
        raise PermissionDenied("只有街道经管站可以" + str(Action(action).label) + "。")
