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


# --- hazards (隐患整改闭环) -----------------------------------------------------
# 发现 found → 已下达整改通知 notice_issued (整改通知书 with a deadline in
# working days) → 已整改 rectified (evidence photo) → 已销号 closed when the
# re-inspection passes, or back to notice_issued when it does not; from
# notice_issued or rectified a hazard can be referred to enforcement (移交执法,
# with a record). An overdue hazard is escalated by the daily job (an activity:
# its state does not change).


class HazardState(models.TextChoices):
    FOUND = "found", _("已发现")
    NOTICE_ISSUED = "notice_issued", _("整改中")
    RECTIFIED = "rectified", _("待复查")
    CLOSED = "closed", _("已销号")
    REFERRED = "referred", _("已移交执法")


class HazardAction(models.TextChoices):
    ISSUE_NOTICE = "issue_notice", _("下达整改通知")
    RECTIFY = "rectify", _("登记整改")
    CLOSE = "close", _("复查合格销号")
    REOPEN = "reopen", _("复查不合格")
    REFER = "refer", _("移交执法")


class HazardActivity(models.TextChoices):
    ESCALATE = "escalate", _("逾期督办")


H = HazardState
HAZARD_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    HazardAction.ISSUE_NOTICE: (frozenset({H.FOUND}), H.NOTICE_ISSUED),
    HazardAction.RECTIFY: (frozenset({H.NOTICE_ISSUED}), H.RECTIFIED),
    HazardAction.CLOSE: (frozenset({H.RECTIFIED}), H.CLOSED),
    HazardAction.REOPEN: (frozenset({H.RECTIFIED}), H.NOTICE_ISSUED),
    HazardAction.REFER: (frozenset({H.NOTICE_ISSUED, H.RECTIFIED}), H.REFERRED),
}
HAZARD_TABLE = TransitionTable(HAZARD_TRANSITIONS, activities={HazardActivity.ESCALATE: {H.NOTICE_ISSUED}})
OPEN_HAZARD_STATES = (H.FOUND, H.NOTICE_ISSUED, H.RECTIFIED)
