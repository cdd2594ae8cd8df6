"""Who may do what with standard addresses. Capability (403) and
jurisdiction (404) both apply; the actor's subtree is their jurisdiction:
a grid worker collects in their own grid, village staff verify in their
village, the subdistrict signs off, opens campaigns and imports. The system
(commands, the demo, the import) passes every check. Each workflow action
needs one capability (`ACTION_CAPABILITY`)."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import actor_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import PermissionDenied
from grassroots.core.scoping import require_in_scope

from .states import Action

ACTION_CAPABILITY: dict[str, str] = {
    Action.COLLECT: Capability.COLLECT_ADDRESSES,
    Action.VERIFY: Capability.VERIFY_ADDRESSES,
    Action.SIGN_OFF: Capability.MANAGE_ADDRESSES,
}
# Sending back: whoever verifies at either step.
DOUBT_CAPABILITIES = (Capability.VERIFY_ADDRESSES, Capability.MANAGE_ADDRESSES)

_DENIED: dict[str, str] = {
    Action.COLLECT: "只有网格员可以现场核采地址。",
    Action.VERIFY: "只有村/社区工作人员可以核验地址。",
    Action.SIGN_OFF: "只有街道工作人员可以审定地址。",
    Action.DOUBT: "您的角色不能退回地址。",
}


def can_act(actor: Any, action: str) -> bool:
    if action == Action.DOUBT:
        return any(actor_can(actor, c) for c in DOUBT_CAPABILITIES)
    return actor_can(actor, ACTION_CAPABILITY[action])


def capability_of(action: str) -> str:
    """The capability a refusal of `action` names (sending back: the village's)."""
    return ACTION_CAPABILITY.get(action, DOUBT_CAPABILITIES[0])


def require_action(actor: Actor, action: str, row: Any) -> None:
    """The workflow's permission check: scope (404) first, then the capability (403)."""
    require_in_scope(actor, row)
    if not can_act(actor, action):
        raise PermissionDenied(_DENIED[action])


def require_editor(actor: Actor, row: Any) -> None:
    """Correcting fields outside a collection: the grid worker on site or the subdistrict."""
    require_in_scope(actor, row)
    if not (actor_can(actor, Capability.COLLECT_ADDRESSES) or actor_can(actor, Capability.MANAGE_ADDRESSES)):
        raise PermissionDenied("您的角色不能修改地址。")
