"""Who may do what in the indicator ledger. Capability (403) and jurisdiction
(404) both apply: the economic-management station (ENTER_INDICATORS) enters
and imports the figures of the nodes in its subtree; REVIEW_INDICATORS
reviews, returns and locks a month, and the reviewer is a second person (not
the last one who entered a value). The system (commands, the demo) passes
every check."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import actor_can
from grassroots.accounts.roles import Capability
from grassroots.core.actors import SystemActor
from grassroots.core.errors import PermissionDenied
from grassroots.core.scoping import require_in_scope

from .states import Action

ACTION_CAPABILITY: dict[str, str] = {
    Action.REVIEW: Capability.REVIEW_INDICATORS,
    Action.RETURN: Capability.REVIEW_INDICATORS,
    Action.LOCK: Capability.REVIEW_INDICATORS,
}


def can_act(actor: Any, action: str) -> bool:
    return actor_can(actor, ACTION_CAPABILITY[action])


def can_enter(actor: Any) -> bool:
    return actor_can(actor, Capability.ENTER_INDICATORS)


def require_action(actor: Actor, action: str, ledger: Any) -> None:
    """The workflow's permission check: scope (404), capability (403), and a
    second person for the review."""
    require_in_scope(actor, ledger)
    if not can_act(actor, action):
        raise PermissionDenied("只有街道经管站的审核人员可以" + str(Action(action).label) + "指标月报。")
    if (
        action == Action.REVIEW
        and not isinstance(actor, SystemActor)
        and ledger.entered_by_id is not None
        and ledger.entered_by_id == getattr(actor, "pk", None)
    ):
        raise PermissionDenied("审核须由填报人以外的另一人进行。")


def require_enter(actor: Actor, row: Any) -> None:
    """Entering or importing figures for `row` (a node or a ledger)."""
    require_in_scope(actor, row)
    if not can_enter(actor):
        raise PermissionDenied("只有经管站工作人员可以填报经济指标。")
