"""A month's indicator ledger (one node, one month) as a table run by the
platform's workflow engine (core/workflow.py, bound in services/workflow.py):

填报中 (draft: values are entered or imported) → 已审核 (reviewed by a second
person, not the last one who entered a value) → 已锁定 (locked for the
month). A reviewed ledger can be sent back to 填报中. After locking a value
changes only as a correction with a reason, recorded in the value's history
and the audit log. Diagram: docs/workflows/indicators.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class State(models.TextChoices):
    DRAFT = "draft", _("填报中")
    REVIEWED = "reviewed", _("已审核")
    LOCKED = "locked", _("已锁定")


class Action(models.TextChoices):
    REVIEW = "review", _("审核")
    RETURN = "return", _("退回填报")
    LOCK = "lock", _("锁定")


class Activity(models.TextChoices):
    ENTER = "enter", _("填报指标值")
    CORRECT = "correct", _("更正已锁定的指标值")


S = State
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.REVIEW: (frozenset({S.DRAFT}), S.REVIEWED),
    Action.RETURN: (frozenset({S.REVIEWED}), S.DRAFT),
    Action.LOCK: (frozenset({S.REVIEWED}), S.LOCKED),
}

TABLE = TransitionTable(TRANSITIONS, activities={Activity.ENTER: {S.DRAFT}, Activity.CORRECT: {S.LOCKED}})
allowed = TABLE.allowed
target = TABLE.target
