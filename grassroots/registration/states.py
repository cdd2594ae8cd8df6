"""Application workflow table; the platform's workflow engine (core/workflow.py,
bound in services/workflow.py) checks it. Diagram: docs/workflows/registration.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class State(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("已提交待初审")
    RETURNED = "returned", _("退回补正")
    ACCEPTED = "accepted", _("已受理审查中")
    SUSPENDED = "suspended", _("中止计时(听证、专家评审等)")
    APPROVED = "approved", _("准予登记")
    REFUSED = "refused", _("不予登记")
    ISSUED = "issued", _("已发证")
    WITHDRAWN = "withdrawn", _("已撤回")
    VOIDED = "voided", _("已作废")


class Action(models.TextChoices):
    SUBMIT = "submit", _("提交")
    RETURN = "return", _("退回补正")
    RESUBMIT = "resubmit", _("补正后重新提交")
    ACCEPT = "accept", _("受理")
    SUSPEND = "suspend", _("中止计时")
    RESUME = "resume", _("恢复计时")
    APPROVE = "approve", _("准予")
    REFUSE = "refuse", _("不予")
    ISSUE = "issue", _("发证")
    WITHDRAW = "withdraw", _("撤回")
    VOID = "void", _("作废")


S = State
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.SUBMIT: (frozenset({S.DRAFT}), S.SUBMITTED),
    # 《行政许可法》第32条: incomplete materials are returned once, with every gap listed.
    Action.RETURN: (frozenset({S.SUBMITTED}), S.RETURNED),
    Action.RESUBMIT: (frozenset({S.RETURNED}), S.SUBMITTED),
    Action.ACCEPT: (frozenset({S.SUBMITTED}), S.ACCEPTED),
    # 第45条: hearings, expert review and similar time does not count.
    Action.SUSPEND: (frozenset({S.ACCEPTED}), S.SUSPENDED),
    Action.RESUME: (frozenset({S.SUSPENDED}), S.ACCEPTED),
    Action.APPROVE: (frozenset({S.ACCEPTED}), S.APPROVED),
    Action.REFUSE: (frozenset({S.ACCEPTED}), S.REFUSED),
    Action.ISSUE: (frozenset({S.APPROVED}), S.ISSUED),
    Action.WITHDRAW: (frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACCEPTED, S.SUSPENDED}), S.WITHDRAWN),
    # Staff void a request that was not the organisation's own (ADR 0028), with
    # a reason, before it is accepted; a new request is then possible.
    Action.VOID: (frozenset({S.SUBMITTED}), S.VOIDED),
}

OPEN_STATES = frozenset({S.SUBMITTED, S.RETURNED, S.ACCEPTED, S.SUSPENDED, S.APPROVED})


TABLE = TransitionTable(TRANSITIONS)
allowed = TABLE.allowed
target = TABLE.target


# --- Notification and commitment (告知承诺) ---------------------------------------
# The applicant signs the commitment instead of the materials it replaces; after
# approval the window verifies it, and a false one revokes the registration.


class CommitmentState(models.TextChoices):
    PENDING_SIGNATURE = "pending", _("待签署")
    SIGNED = "signed", _("已签署,待核查")
    VERIFIED = "verified", _("核查属实")
    FALSE = "false", _("核查不实,已撤销")


class CommitmentAction(models.TextChoices):
    SIGN = "sign", _("签署告知承诺书")
    CONFIRM = "confirm", _("核查属实")
    REFUTE = "refute", _("核查不实")


COMMITMENT_TABLE = TransitionTable(
    {
        CommitmentAction.SIGN: ({CommitmentState.PENDING_SIGNATURE}, CommitmentState.SIGNED),
        CommitmentAction.CONFIRM: ({CommitmentState.SIGNED}, CommitmentState.VERIFIED),
        CommitmentAction.REFUTE: ({CommitmentState.SIGNED}, CommitmentState.FALSE),
    }
)


# --- Renewal by mail: the SMS code (ADR 0028) ---------------------------------------


class VerificationState(models.TextChoices):
    PENDING = "pending", _("待验证")
    VERIFIED = "verified", _("已验证")
    VOID = "void", _("已失效")


class VerificationAction(models.TextChoices):
    VERIFY = "verify", _("验证通过")
    VOID = "void", _("错误次数过多,作废")


VERIFICATION_TABLE = TransitionTable(
    {
        VerificationAction.VERIFY: ({VerificationState.PENDING}, VerificationState.VERIFIED),
        VerificationAction.VOID: ({VerificationState.PENDING}, VerificationState.VOID),
    }
)


# --- Appointments at the window -------------------------------------------------------
# The applicant cancels a booking by the link's token; window staff mark it
# attended or no-show on or after its day, and may correct a wrong mark.


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已到场")
    NO_SHOW = "no_show", _("未到场")


class AppointmentAction(models.TextChoices):
    CANCEL = "cancel", _("取消预约")
    MARK_ATTENDED = "mark_attended", _("标记已到场")
    MARK_NO_SHOW = "mark_no_show", _("标记未到场")


APPOINTMENT_TABLE = TransitionTable(
    {
        AppointmentAction.CANCEL: ({AppointmentState.BOOKED}, AppointmentState.CANCELLED),
        AppointmentAction.MARK_ATTENDED: (
            {AppointmentState.BOOKED, AppointmentState.NO_SHOW},
            AppointmentState.ATTENDED,
        ),
        AppointmentAction.MARK_NO_SHOW: (
            {AppointmentState.BOOKED, AppointmentState.ATTENDED},
            AppointmentState.NO_SHOW,
        ),
    }
)


# --- Material verdicts of the preliminary review ------------------------------------------
# Each uploaded material is judged compliant, missing or wrong; the reviewer
# may revise a verdict until the return or the acceptance (the service keeps
# the one-time-notice rule: what an earlier round cleared is not reopened).
# "replaced" is a checklist item's status (a commitment replaces it), never
# a stored material's, so no verdict applies to it.


class MaterialStatus(models.TextChoices):
    PENDING = "pending", _("待审查")
    OK = "ok", _("符合")
    MISSING = "missing", _("缺少")
    WRONG = "wrong", _("不符合要求")
    REPLACED = "replaced", _("以告知承诺替代")


class MaterialAction(models.TextChoices):
    FIND_OK = "find_ok", _("认定符合")
    FIND_MISSING = "find_missing", _("认定缺少")
    FIND_WRONG = "find_wrong", _("认定不符合要求")


_JUDGEABLE = {MaterialStatus.PENDING, MaterialStatus.OK, MaterialStatus.MISSING, MaterialStatus.WRONG}
MATERIAL_TABLE = TransitionTable(
    {
        MaterialAction.FIND_OK: (_JUDGEABLE, MaterialStatus.OK),
        MaterialAction.FIND_MISSING: (_JUDGEABLE, MaterialStatus.MISSING),
        MaterialAction.FIND_WRONG: (_JUDGEABLE, MaterialStatus.WRONG),
    }
)
# The verdict a reviewer gives → the action that records it.
VERDICT_ACTIONS: dict[str, str] = {
    MaterialStatus.OK: MaterialAction.FIND_OK,
    MaterialStatus.MISSING: MaterialAction.FIND_MISSING,
    MaterialStatus.WRONG: MaterialAction.FIND_WRONG,
}
