"""The publication lifecycle as a table, run by the platform's workflow
engine (core/workflow.py, bound in services.py):

draft → published (for a period) → ended (the nightly job, when the period is
over); published or ended → withdrawn (with a reason). A published notice is
never edited: it is withdrawn and a corrected one published.
Diagram: docs/workflows/publicity.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class State(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("公示中")
    ENDED = "ended", _("公示期满")
    WITHDRAWN = "withdrawn", _("已撤回")


class Action(models.TextChoices):
    PUBLISH = "publish", _("发布")
    END = "end", _("公示期满")
    WITHDRAW = "withdraw", _("撤回")


S = State
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.PUBLISH: (frozenset({S.DRAFT}), S.PUBLISHED),
    Action.END: (frozenset({S.PUBLISHED}), S.ENDED),
    Action.WITHDRAW: (frozenset({S.PUBLISHED, S.ENDED}), S.WITHDRAWN),
}

TABLE = TransitionTable(TRANSITIONS)
allowed = TABLE.allowed
target = TABLE.target
