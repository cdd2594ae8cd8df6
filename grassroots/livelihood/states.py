"""A care flag's status as a table, run by the platform's workflow engine
(core/workflow.py, bound in services/workflow.py):

有效 (active: the resident or household is on the list) → 已撤销 (ended,
with a reason: moved away, no longer eligible, deceased) → 有效 again when it
is restored. Only active flags put people on a care list."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class FlagState(models.TextChoices):
    ACTIVE = "active", _("有效")
    ENDED = "ended", _("已撤销")


class FlagAction(models.TextChoices):
    END = "end", _("撤销标记")
    RESTORE = "restore", _("恢复标记")


S = FlagState
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    FlagAction.END: (frozenset({S.ACTIVE}), S.ENDED),
    FlagAction.RESTORE: (frozenset({S.ENDED}), S.ACTIVE),
}

FLAG_TABLE = TransitionTable(TRANSITIONS)
