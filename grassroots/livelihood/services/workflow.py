"""A care flag's status bound to the platform's workflow engine
(core/workflow.py): the table in states.py, Chinese errors, CareFlagEvent
rows, and the permission check of each action."""

from __future__ import annotations

from functools import partial
from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.core.workflow import Workflow, event_row

from ..errors import LivelihoodConflict
from ..models import CareFlag, CareFlagEvent
from ..permissions import require_flag_action
from ..states import FLAG_TABLE, FlagAction, FlagState


def _not_allowed(action: str, state: str) -> LivelihoodConflict:
    return LivelihoodConflict(
        "transition_not_allowed", f"标记当前为“{FlagState(state).label}”,不能{FlagAction(action).label}。"
    )


WORKFLOW: Workflow[CareFlag] = Workflow(
    model=CareFlag,
    table=FLAG_TABLE,
    not_allowed=_not_allowed,
    stale=lambda: LivelihoodConflict("stale_state", "标记状态已被他人改变,请刷新后重试。"),
    audit_detail=lambda flag: {"kind": flag.kind},
)


def transition(
    *, actor: Actor, flag: CareFlag, action: str, updates: dict[str, Any] | None = None, text: str = ""
) -> CareFlag:
    """A flag changes state only here."""
    return WORKFLOW.transition(
        flag,
        action=action,
        actor=actor,
        permission=partial(require_flag_action, actor, action, flag),
        updates=updates,
        event=event_row(CareFlagEvent, "flag", action=action, actor=actor, text=text),
    )
