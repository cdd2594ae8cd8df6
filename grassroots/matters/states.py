"""The matter lifecycle as a table. `TRANSITIONS[action] = (from states, to
state)`; the one workflow engine (core/workflow.py, bound in services/transitions.py)
checks it, updates with a condition on the current state, and appends a
timeline event. The states themselves (`State`, `OPEN_STATES`) live in
models.py, so other apps read them with the model. Reopen requests have their
own small table (`REOPEN_REQUEST_TABLE`), run by the same engine in
services/feedback.py.
Diagram: docs/workflows/matter.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable

from .models import OPEN_STATES, ReopenRequest, State

__all__ = [
    "FINAL_STATES",
    "OPEN_STATES",
    "REOPEN_DAYS",
    "REOPEN_REQUEST_TABLE",
    "TABLE",
    "TRANSITIONS",
    "Action",
    "ReopenAction",
    "State",
    "allowed",
    "target",
]


class Action(models.TextChoices):
    ACCEPT = "accept", _("受理")
    REJECT = "reject", _("不予受理")
    MERGE = "merge", _("合并")
    ASSIGN = "assign", _("交办")
    DELIBERATE = "deliberate", _("提交议事")
    DECIDE = "decide", _("议定办理")
    # A meeting adjourned or cancelled before deciding: the matter goes back
    # to where it came from (with an assignee: handling; without: accepted).
    RETURN_ACCEPTED = "return_accepted", _("议事中止,待交办")
    RETURN_HANDLING = "return_handling", _("议事中止,继续办理")
    RESOLVE = "resolve", _("办结")
    CLOSE = "close", _("关闭")
    REOPEN = "reopen", _("重新办理")


S = State
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.ACCEPT: (frozenset({S.REPORTED}), S.ACCEPTED),
    Action.REJECT: (frozenset({S.REPORTED}), S.REJECTED),
    Action.MERGE: (frozenset({S.REPORTED, S.ACCEPTED}), S.MERGED),
    Action.ASSIGN: (frozenset({S.ACCEPTED}), S.HANDLING),
    # Deliberation (议事) is entered and left only through services/deliberation.py.
    Action.DELIBERATE: (frozenset({S.ACCEPTED, S.HANDLING}), S.DELIBERATING),
    Action.DECIDE: (frozenset({S.DELIBERATING}), S.HANDLING),
    Action.RETURN_ACCEPTED: (frozenset({S.DELIBERATING}), S.ACCEPTED),
    Action.RETURN_HANDLING: (frozenset({S.DELIBERATING}), S.HANDLING),
    Action.RESOLVE: (frozenset({S.HANDLING}), S.RESOLVED),
    Action.CLOSE: (frozenset({S.RESOLVED}), S.CLOSED),
    # Back to handling: a granted reopen request after resolution, or a
    # reopen within REOPEN_DAYS after close.
    Action.REOPEN: (frozenset({S.RESOLVED, S.CLOSED}), S.HANDLING),
}

FINAL_STATES = frozenset({S.REJECTED, S.MERGED})
REOPEN_DAYS = 14


TABLE = TransitionTable(TRANSITIONS)
allowed = TABLE.allowed
target = TABLE.target


# --- Reopen requests (重新办理申请): staff answer an open request once ---------------------


class ReopenAction(models.TextChoices):
    GRANT = "grant", _("同意重新办理")
    DECLINE = "decline", _("不同意重新办理")


R = ReopenRequest.Status
REOPEN_REQUEST_TABLE = TransitionTable(
    {
        ReopenAction.GRANT: (frozenset({R.OPEN}), R.GRANTED),
        ReopenAction.DECLINE: (frozenset({R.OPEN}), R.DECLINED),
    }
)
