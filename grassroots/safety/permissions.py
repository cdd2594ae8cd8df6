"""Who may do what in the safety inspections. Capability (403) and
jurisdiction (404) both apply; the actor's subtree is their jurisdiction: a
grid worker registers and corrects the premises of their grid, village staff
and the subdistrict those of their subtree and also close or take premises
back into use. The system (commands, the demo) passes every check. Each
workflow action needs one capability (`ACTION_CAPABILITY`)."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import actor_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import PermissionDenied
from grassroots.core.scoping import require_in_scope

from .states import Action, HazardAction

ACTION_CAPABILITY: dict[str, str] = {
    Action.CLOSE: Capability.MANAGE_SAFETY,
    Action.REOPEN: Capability.MANAGE_SAFETY,
}

_DENIED: dict[str, str] = {
    Action.CLOSE: "只有村/社区或街道工作人员可以关停场所。",
    Action.REOPEN: "只有村/社区或街道工作人员可以恢复场所使用。",
}


def can_act(actor: Any, action: str) -> bool:
    return actor_can(actor, ACTION_CAPABILITY[action])


def require_action(actor: Actor, action: str, row: Any) -> None:
    """The workflow's permission check: scope (404) first, then the capability (403)."""
    require_in_scope(actor, row)
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
    return actor_can(actor, HAZARD_ACTION_CAPABILITY[action])


def require_hazard_action(actor: Actor, action: str, row: Any) -> None:
    require_in_scope(actor, row)
    if not can_hazard(actor, action):
        raise PermissionDenied("您的角色不能" + str(HazardAction(action).label) + "。")
