"""The standard address's verification as a table, run by the platform's
workflow engine (core/workflow.py, bound in services/workflow.py):

待核采 (pending) → 已核采 (collected on site by the grid worker) → 村已核验
(village_verified, by the village/community staff) → 已核验 (verified, signed
off by the subdistrict). Village staff or the subdistrict may send a
collected or village-verified address back as 存疑 (doubtful) with a reason;
the grid worker collects it again. Diagram: docs/workflows/addresses.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class State(models.TextChoices):
    PENDING = "pending", _("待核采")
    COLLECTED = "collected", _("已核采")
    VILLAGE_VERIFIED = "village_verified", _("村已核验")
    VERIFIED = "verified", _("已核验")
    DOUBTFUL = "doubtful", _("存疑")


class Action(models.TextChoices):
    COLLECT = "collect", _("现场核采")
    VERIFY = "verify", _("村/社区核验")
    SIGN_OFF = "sign_off", _("街道审定")
    DOUBT = "doubt", _("退回存疑")


class Activity(models.TextChoices):
    # A correction of the fields without collecting (before anyone verified it).
    EDIT = "edit", _("修改地址")


S = State
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.COLLECT: (frozenset({S.PENDING, S.DOUBTFUL}), S.COLLECTED),
    Action.VERIFY: (frozenset({S.COLLECTED}), S.VILLAGE_VERIFIED),
    Action.SIGN_OFF: (frozenset({S.VILLAGE_VERIFIED}), S.VERIFIED),
    Action.DOUBT: (frozenset({S.COLLECTED, S.VILLAGE_VERIFIED}), S.DOUBTFUL),
}

TABLE = TransitionTable(TRANSITIONS, activities={Activity.EDIT: {S.PENDING, S.DOUBTFUL}})
allowed = TABLE.allowed
target = TABLE.target

# What a campaign counts as done, and as collected (on site at least once).
DONE_STATES = (S.VERIFIED,)
COLLECTED_STATES = (S.COLLECTED, S.VILLAGE_VERIFIED, S.VERIFIED)
