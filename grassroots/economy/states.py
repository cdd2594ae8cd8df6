"""The distribution plan's workflow as a table, run by the platform's
workflow engine (core/workflow.py, bound in services/workflow.py):

草拟 (draft) → 提交议事 (submitted: a village meeting deliberates it) →
议事通过 (approved) or 退回 (returned, to be recomputed and submitted again)
→ 公示 (published through 晒事) → 已分配 (distributed). Only a draft or a
returned plan is recomputed. Diagram: docs/workflows/economy.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class State(models.TextChoices):
    DRAFT = "draft", _("草拟")
    SUBMITTED = "submitted", _("提交议事")
    APPROVED = "approved", _("议事通过")
    RETURNED = "returned", _("退回")
    PUBLISHED = "published", _("公示")
    DISTRIBUTED = "distributed", _("已分配")


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交议事")
    APPROVE = "approve", _("登记议事通过")
    RETURN = "return", _("退回修改")
    PUBLISH = "publish", _("公示")
    DISTRIBUTE = "distribute", _("确认已分配")


class Activity(models.TextChoices):
    RECOMPUTE = "recompute", _("重新计算")


S = State
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.SUBMIT: (frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED),
    Action.APPROVE: (frozenset({S.SUBMITTED}), S.APPROVED),
    Action.RETURN: (frozenset({S.SUBMITTED}), S.RETURNED),
    Action.PUBLISH: (frozenset({S.APPROVED}), S.PUBLISHED),
    Action.DISTRIBUTE: (frozenset({S.PUBLISHED}), S.DISTRIBUTED),
}

TABLE = TransitionTable(TRANSITIONS, activities={Activity.RECOMPUTE: {S.DRAFT, S.RETURNED}})


# --- park tenants (招商入驻) ---------------------------------------------------
# 意向 intent → 签约 signed → 入驻 settled; an intent or a signed tenant may
# withdraw (退出). Diagram: docs/workflows/economy.md.


class TenantState(models.TextChoices):
    INTENT = "intent", _("意向")
    SIGNED = "signed", _("签约")
    SETTLED = "settled", _("入驻")
    WITHDRAWN = "withdrawn", _("退出")


class TenantAction(models.TextChoices):
    SIGN = "sign", _("签约")
    SETTLE = "settle", _("入驻")
    WITHDRAW = "withdraw", _("退出")


T = TenantState
TENANT_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    TenantAction.SIGN: (frozenset({T.INTENT}), T.SIGNED),
    TenantAction.SETTLE: (frozenset({T.SIGNED}), T.SETTLED),
    TenantAction.WITHDRAW: (frozenset({T.INTENT, T.SIGNED}), T.WITHDRAWN),
}
TENANT_TABLE = TransitionTable(TENANT_TRANSITIONS)
