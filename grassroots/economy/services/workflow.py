"""The distribution plan's state bound to the platform's workflow engine
(core/workflow.py): the table in states.py, Chinese errors,
DistributionEvent rows, and the permission check of each action."""

from __future__ import annotations

from functools import partial
from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.core.workflow import Workflow, event_row

from ..errors import EconomyConflict
from ..models import DistributionEvent, DistributionPlan
from ..permissions import require_action
from ..states import TABLE, Action, Activity, State

LABELS = {**dict(Action.choices), **dict(Activity.choices)}


def _not_allowed(action: str, state: str) -> EconomyConflict:
    return EconomyConflict("transition_not_allowed", f"分配方案当前为“{State(state).label}”,不能{LABELS[action]}。")


WORKFLOW: Workflow[DistributionPlan] = Workflow(
    model=DistributionPlan,
    table=TABLE,
    not_allowed=_not_allowed,
    stale=lambda: EconomyConflict("stale_state", "分配方案状态已被他人改变,请刷新后重试。"),
    audit_detail=lambda plan: {"company": plan.company_id, "year": plan.year},
)


def transition(
    *,
    actor: Actor,
    plan: DistributionPlan,
    action: str,
    updates: dict[str, Any] | None = None,
    text: str = "",
) -> DistributionPlan:
    """A plan changes state only here."""
    return WORKFLOW.transition(
        plan,
        action=action,
        actor=actor,
        permission=partial(require_action, actor, action, plan),
        updates=updates,
        event=event_row(DistributionEvent, "plan", action=action, actor=actor, text=text),
    )
