"""The premises register's status as a table, run by the platform's workflow
engine (core/workflow.py, bound in services/workflow.py):

在用 (operating) → 已关停 (closed: demolished, shut down or no longer used,
with a reason) → 在用 again when it is taken back into use. Only an
operating premises is corrected in the register. Diagram:
docs/workflows/safety.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class State(models.TextChoices):
    OPERATING = "operating", _("在用")
    CLOSED = "closed", _("已关停")


class Action(models.TextChoices):
    CLOSE = "close", _("关停")
    REOPEN = "reopen", _("恢复使用")


class Activity(models.TextChoices):
    EDIT = "edit", _("修改场所信息")


S = State
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.CLOSE: (frozenset({S.OPERATING}), S.CLOSED),
    Action.REOPEN: (frozenset({S.CLOSED}), S.OPERATING),
}

TABLE = TransitionTable(TRANSITIONS, activities={Activity.EDIT: {S.OPERATING}})
allowed = TABLE.allowed
target = TABLE.target
