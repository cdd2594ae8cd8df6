"""The premises' status bound to the platform's workflow engine
(core/workflow.py): the table in states.py, Chinese errors, PremisesEvent
rows, and the permission check of each action."""

from __future__ import annotations

from functools import partial
from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.core.workflow import Workflow, event_row

from ..errors import SafetyConflict
from ..models import Premises, PremisesEvent
from ..permissions import require_action
from ..states import TABLE, Action, Activity, State

LABELS = {**dict(Action.choices), **dict(Activity.choices)}


def _not_allowed(action: str, state: str) -> SafetyConflict:
    return SafetyConflict("transition_not_allowed", f"场所当前为“{State(state).label}”,不能{LABELS[action]}。")


WORKFLOW: Workflow[Premises] = Workflow(
    model=Premises,
    table=TABLE,
    not_allowed=_not_allowed,
    stale=lambda: SafetyConflict("stale_state", "场所状态已被他人改变,请刷新后重试。"),
    audit_detail=lambda premises: {"premises": premises.name},
)


def transition(
    *,
    actor: Actor,
    premises: Premises,
    action: str,
    updates: dict[str, Any] | None = None,
    text: str = "",
) -> Premises:
    """A premises changes state only here."""
    return WORKFLOW.transition(
        premises,
        action=action,
        actor=actor,
        permission=partial(require_action, actor, action, premises),
        updates=updates,
        event=event_row(PremisesEvent, "premises", action=action, actor=actor, text=text),
    )
