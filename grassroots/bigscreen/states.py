"""A display token's life as a table, run by the platform's workflow engine
(core/workflow.py): 有效 (active) → 已停用 (revoked). A revoked token never
comes back: the command centre is given a new one (ADR 0049)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class State(models.TextChoices):
    ACTIVE = "active", _("有效")
    REVOKED = "revoked", _("已停用")


class Action(models.TextChoices):
    REVOKE = "revoke", _("停用")


TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.REVOKE: (frozenset({State.ACTIVE}), State.REVOKED),
}
TABLE = TransitionTable(TRANSITIONS)
