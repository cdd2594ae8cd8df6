"""The month's ledger bound to the platform's workflow engine
(core/workflow.py): the table in states.py, Chinese errors, LedgerEvent rows,
and the permission check of each action (a second person reviews)."""

from __future__ import annotations

from functools import partial

from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.core.actors import user_or_none
from grassroots.core.workflow import Workflow, event_row

from ..errors import IndicatorConflict
from ..models import Ledger, LedgerEvent
from ..permissions import require_action
from ..states import TABLE, Action, Activity, State

LABELS = {**dict(Action.choices), **dict(Activity.choices)}


def _not_allowed(action: str, state: str) -> IndicatorConflict:
    return IndicatorConflict("transition_not_allowed", f"该月报当前为“{State(state).label}”,不能{LABELS[action]}。")


WORKFLOW: Workflow[Ledger] = Workflow(
    model=Ledger,
    table=TABLE,
    not_allowed=_not_allowed,
    stale=lambda: IndicatorConflict("stale_state", "该月报状态已被他人改变,请刷新后重试。"),
    audit_detail=lambda ledger: {"node": ledger.node_id, "month": ledger.month.strftime("%Y-%m")},
)


def _updates(actor: Actor, action: str) -> dict[str, object]:
    now = timezone.now()
    if action == Action.REVIEW:
        return {"reviewed_by": user_or_none(actor), "reviewed_at": now}
    if action == Action.LOCK:
        return {"locked_at": now}
    return {"reviewed_by": None, "reviewed_at": None}


def ledger_transition(*, actor: Actor, ledger: Ledger, action: str, text: str = "") -> Ledger:
    """A ledger changes state only here (review, return, lock)."""
    return WORKFLOW.transition(
        ledger,
        action=action,
        actor=actor,
        permission=partial(require_action, actor, action, ledger),
        updates=_updates(actor, action),
        event=event_row(LedgerEvent, "ledger", action=action, actor=actor, text=text),
    )
