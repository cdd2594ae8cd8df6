"""The appraisal session lifecycle: a table, run by the platform's workflow
engine (core/workflow.py, bound in services/workflow.py).

draft (staff edit items and roster) → frozen (codes issued, ballots cast)
→ closed (unused slips void or missing, board and head hash published)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class State(models.TextChoices):
    DRAFT = "draft", _("准备中")
    FROZEN = "frozen", _("投票中")
    CLOSED = "closed", _("已结束")


class Action(models.TextChoices):
    FREEZE = "freeze", _("冻结并开始投票")
    CLOSE = "close", _("结束投票")


TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.FREEZE: (frozenset({State.DRAFT}), State.FROZEN),
    Action.CLOSE: (frozenset({State.FROZEN}), State.CLOSED),
}

TABLE = TransitionTable(TRANSITIONS)
allowed = TABLE.allowed
target = TABLE.target
