"""Who may do what in the safety inspections. Capability (403) and
jurisdiction (404) both apply; the actor's subtree is their jurisdiction: a
grid worker registers and corrects the premises of their grid, village staff
and the subdistrict those of their subtree and also close or take premises
back into use. The system (commands, the demo) passes every check. Each
workflow action needs one capability (`ACTION_CAPABILITY`)."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.actors import SystemActor
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.scoping import path_in_scope

from .states import Action, HazardAction

ACTION_CAPABILITY: dict[str, str] = {
    Action.CLOSE: Capability.MANAGE_SAFETY,
    Action.REOPEN: Capability.MANAGE_SAFETY,
}

_DENIED: dict[str, str] = {
    Action.CLOSE: "只有村/社区或街道工作人员可以关停场所。",
    Action.REOPEN: "只有村/社区或街道工作人员可以恢复场所使用。",
}


def can(actor: Any, capability: str) -> bool:
    return isinstance(actor, SystemActor) or user_can(actor, capability)


def can_act(actor: Any, action: str) -> bool:
    return can(actor, ACTION_CAPABILITY[action])


def require_scope(actor: Actor, row: Any) -> None:
    """`row` (a premises, a node, an address) is in the actor's subtree, else 404."""
    if isinstance(actor, SystemActor):
        return
    if not path_in_scope(row.path, actor):
        raise NotFound()


def require(actor: Actor, capability: str, message: str = "您的角色没有此项权限。") -> None:
    if not can(actor, capability):
        raise PermissionDenied(message)


def require_action(actor: Actor, action: str, row: Any) -> None:
    """The workflow's permission check: scope (404) first, then the capability (403)."""
    require_scope(actor, row)
    if not can_act(actor, action):
        raise PermissionDenied(_DENIED[action])


HAZARD_ACTION_CAPABILITY: dict[str, str] = {
    HazardAction.ISSUE_NOTICE: Capability.INSPECT_SAFETY,
    HazardAction.RECTIFY: Capability.INSPECT_SAFETY,
    HazardAction.CLOSE: Capability.INSPECT_SAFETY,
    HazardAction.REOPEN: Capability.INSPECT_SAFETY,
    # Referral to enforcement: village staff or the subdistrict.
    HazardAction.REFER: Capability.MANAGE_SAFETY,
}


def can_hazard(actor: Any, action: str) -> bool:
    return can(actor, HAZARD_ACTION_CAPABILITY[action])


def require_hazard_action(actor: Actor, action: str, row: Any) -> None:
    require_scope(actor, row)
    if not can_hazard(actor, action):
        raise PermissionDenied("您的角色不能" + str(HazardAction(action).label) + "。")
