"""The 红黄榜's status bound to the platform's workflow engine
(core/workflow.py): the table in states.py, Chinese errors, BoardEvent rows,
and the permission check (party staff of the subdistrict)."""

from __future__ import annotations

from functools import partial

from grassroots.accounts.actors import Actor
from grassroots.core.workflow import Workflow, event_row

from ..errors import PartyConflict
from ..models import Board, BoardEvent
from ..permissions import require_manage
from ..states import TABLE, BoardAction, BoardActivity, BoardState

LABELS = {**dict(BoardAction.choices), **dict(BoardActivity.choices)}


def _not_allowed(action: str, state: str) -> PartyConflict:
    return PartyConflict("transition_not_allowed", f"红黄榜当前为“{BoardState(state).label}”,不能{LABELS[action]}。")


WORKFLOW: Workflow[Board] = Workflow(
    model=Board,
    table=TABLE,
    not_allowed=_not_allowed,
    stale=lambda: PartyConflict("stale_state", "红黄榜状态已被他人改变,请刷新后重试。"),
    audit_detail=lambda board: {"month": f"{board.month:%Y-%m}"},
)


def transition(*, actor: Actor, board: Board, action: str) -> Board:
    """A board changes state only here."""
    return WORKFLOW.transition(
        board,
        action=action,
        actor=actor,
        permission=partial(require_manage, actor, board, "只有街道党建工作人员可以发布或撤回红黄榜。"),
        event=event_row(BoardEvent, "board", action=action, actor=actor),
    )
