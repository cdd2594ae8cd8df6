"""The delivery of a group post, an article or a subscription message as a
table (core/workflow.py's TransitionTable): pending → sent, or failed after
the last attempt (or an error a retry cannot fix); staff send a failed post
again (failed → pending). The delivery itself claims rows with conditional
UPDATEs (services/delivery.py), because its steps are attempts of a task,
not a person's decisions with timeline events."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class State(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Action(models.TextChoices):
    SEND = "send", _("发送成功")
    FAIL = "fail", _("最终失败")
    RETRY = "retry", _("重新发送")


S = State
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.SEND: (frozenset({S.PENDING}), S.SENT),
    Action.FAIL: (frozenset({S.PENDING}), S.FAILED),
    Action.RETRY: (frozenset({S.FAILED}), S.PENDING),
}

TABLE = TransitionTable(TRANSITIONS)
allowed = TABLE.allowed
target = TABLE.target
