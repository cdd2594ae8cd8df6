"""The appraisal session lifecycle: a table and nothing else.

draft (staff edit items and roster) → frozen (codes issued, ballots cast)
→ closed (unused slips void or missing, board and head hash published)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("准备中")
    FROZEN = "frozen", _("投票中")
    CLOSED = "closed", _("已结束")


class Action(models.TextChoices):
    FREEZE = "freeze", _("冻结并开始投票")
    CLOSE = "close", _("结束投票")


TRANSITIONS: dict[tuple[str, str], str] = {
    (State.DRAFT, Action.FREEZE): State.FROZEN,
    (State.FROZEN, Action.CLOSE): State.CLOSED,
}


def next_state(state: str, action: str) -> str | None:
    return TRANSITIONS.get((state, action))
