"""The unit's stages bound to the platform's workflow engine
(core/workflow.py): the table in states.py, Chinese errors, UnitEvent rows,
and the permission check."""

from __future__ import annotations

from functools import partial
from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.core.workflow import Workflow, event_row

from ..errors import RelocationConflict
from ..models import Unit, UnitEvent
from ..permissions import require_work
from ..states import TABLE, Action, State


def _not_allowed(action: str, state: str) -> RelocationConflict:
    return RelocationConflict(
        "transition_not_allowed", f"该户当前为“{State(state).label}”,不能办理“{Action(action).label}”。"
    )


WORKFLOW: Workflow[Unit] = Workflow(
    model=Unit,
    table=TABLE,
    not_allowed=_not_allowed,
    stale=lambda: RelocationConflict("stale_state", "该户环节已被他人改变,请刷新后重试。"),
    audit_detail=lambda unit: {"unit": unit.number, "project": unit.project_id},
)


def transition(
    *,
    actor: Actor,
    unit: Unit,
    action: str,
    updates: dict[str, Any] | None = None,
    text: str = "",
    data: dict[str, Any] | None = None,
) -> Unit:
    """A unit changes stage only here."""
    return WORKFLOW.transition(
        unit,
        action=action,
        actor=actor,
        permission=partial(require_work, actor, unit),
        updates=updates,
        event=event_row(UnitEvent, "unit", action=action, actor=actor, text=text, data=data or {}),
    )
