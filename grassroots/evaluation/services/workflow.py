"""The appraisal session lifecycle (states.py) bound to the platform's
workflow engine: the permission, the table, an update conditioned on the
current state, the session event and the audit entry in one transaction."""

from __future__ import annotations

from functools import partial
from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.core.actors import user_or_none
from grassroots.core.errors import Conflict
from grassroots.core.workflow import Workflow

from .. import permissions, states
from ..errors import wrong_state
from ..models import AppraisalSession, SessionEvent
from ..states import Action

NOT_ALLOWED = {
    Action.FREEZE: "只有准备中的评议可以冻结。",
    Action.CLOSE: "只有投票中的评议可以结束。",
}


def _not_allowed(action: str, state: str) -> Conflict:
    return wrong_state(NOT_ALLOWED[Action(action)])


def _stale() -> Conflict:
    return wrong_state("评议状态已被他人改变,请刷新后重试。")


WORKFLOW: Workflow[AppraisalSession] = Workflow(
    model=AppraisalSession, table=states.TABLE, not_allowed=_not_allowed, stale=_stale, timestamp_field=None
)


def transition(
    *,
    actor: Actor,
    session: AppraisalSession,
    action: str,
    updates: dict[str, Any] | None = None,
    text: str = "",
    audit_extra: dict[str, Any] | None = None,
) -> AppraisalSession:
    return WORKFLOW.transition(
        session,
        action=action,
        actor=actor,
        permission=partial(permissions.require_run, actor, session),
        updates=updates,
        event=lambda fresh, source, target: SessionEvent.objects.create(
            session=fresh, action=action, from_state=source, to_state=target, actor=user_or_none(actor), text=text
        ),
        audit_extra=audit_extra,
    )
