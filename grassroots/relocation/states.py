"""The case of each relocation unit as a table, run by the platform's
workflow engine (core/workflow.py, bound in services/workflow.py):

待确认 pending → 信息确认 confirmed → 评估 assessed → 签约 signed → 腾空
vacated → 拆除 demolished → 补偿到位 compensated. Each step records its date
(the figures of the daily report are counted from these dates, ADR 0041);
stages never go back. Diagram: docs/workflows/relocation.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class State(models.TextChoices):
    PENDING = "pending", _("待信息确认")
    CONFIRMED = "confirmed", _("信息已确认")
    ASSESSED = "assessed", _("已评估")
    SIGNED = "signed", _("已签约")
    VACATED = "vacated", _("已腾空")
    DEMOLISHED = "demolished", _("已拆除")
    COMPENSATED = "compensated", _("补偿到位")


class Action(models.TextChoices):
    CONFIRM = "confirm", _("信息确认")
    ASSESS = "assess", _("评估")
    SIGN = "sign", _("签约")
    VACATE = "vacate", _("腾空")
    DEMOLISH = "demolish", _("拆除")
    COMPENSATE = "compensate", _("补偿到位")


S = State
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.CONFIRM: (frozenset({S.PENDING}), S.CONFIRMED),
    Action.ASSESS: (frozenset({S.CONFIRMED}), S.ASSESSED),
    Action.SIGN: (frozenset({S.ASSESSED}), S.SIGNED),
    Action.VACATE: (frozenset({S.SIGNED}), S.VACATED),
    Action.DEMOLISH: (frozenset({S.VACATED}), S.DEMOLISHED),
    Action.COMPENSATE: (frozenset({S.DEMOLISHED}), S.COMPENSATED),
}

TABLE = TransitionTable(TRANSITIONS)

# The date column each action fills (the stage's date).
DATE_FIELD: dict[str, str] = {
    Action.CONFIRM: "confirmed_on",
    Action.ASSESS: "assessed_on",
    Action.SIGN: "signed_on",
    Action.VACATE: "vacated_on",
    Action.DEMOLISH: "demolished_on",
    Action.COMPENSATE: "compensated_on",
}
# The states at or after signing: a unit in one of them counts as signed.
SIGNED_STATES = (S.SIGNED, S.VACATED, S.DEMOLISHED, S.COMPENSATED)
# Stages in order, for the progress tables (state → the date that reached it).
STAGES: list[tuple[str, str]] = [(TABLE.target(a), f) for a, f in DATE_FIELD.items()]
