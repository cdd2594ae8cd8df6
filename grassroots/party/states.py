"""The monthly 红黄榜's status as a table, run by the platform's workflow
engine (core/workflow.py, bound in services/workflow.py):

草稿 (draft: computed, recomputed as often as needed, seen only by party
staff) → 已发布 (published: party members see it) → 草稿 again when it is
withdrawn for a correction. Diagram: docs/workflows/party.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class BoardState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class BoardAction(models.TextChoices):
    PUBLISH = "publish", _("发布")
    WITHDRAW = "withdraw", _("撤回")


class BoardActivity(models.TextChoices):
    COMPUTE = "compute", _("计算")


S = BoardState
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    BoardAction.PUBLISH: (frozenset({S.DRAFT}), S.PUBLISHED),
    BoardAction.WITHDRAW: (frozenset({S.PUBLISHED}), S.DRAFT),
}

TABLE = TransitionTable(TRANSITIONS, activities={BoardActivity.COMPUTE: {S.DRAFT}})
allowed = TABLE.allowed
target = TABLE.target
