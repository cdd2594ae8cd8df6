"""Who may do what in the livelihood app. Capability (403) and jurisdiction
(404) both apply: a grid worker sees the care lists of their grid and visits
the people on them; village staff and the subdistrict see their subtree,
visit, and keep the flags (living alone, disabled, low income). Exporting a
list needs EXPORT_DATA besides VIEW_CARE. The system (commands, the demo)
passes every check."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import actor_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import PermissionDenied
from grassroots.core.scoping import require_in_scope

from .states import FlagAction

FLAG_ACTION_CAPABILITY: dict[str, str] = {
    FlagAction.END: Capability.MANAGE_CARE,
    FlagAction.RESTORE: Capability.MANAGE_CARE,
}


def can_flag(actor: Any, action: str) -> bool:
    return actor_can(actor, FLAG_ACTION_CAPABILITY[action])


def require_flag_action(actor: Actor, action: str, row: Any) -> None:
    """The workflow's permission check: scope (404) first, then the capability (403)."""
    require_in_scope(actor, row)
    if not can_flag(actor, action):
        raise PermissionDenied("只有村/社区或街道工作人员可以" + str(FlagAction(action).label) + "。")
