"""The dispute-case workflow as a table. `TRANSITIONS[action] = (from states,
to state)`; the platform's workflow engine (core/workflow.py, bound in
services/workflow.py) checks it, updates with a condition on the current
state and appends a case event.
Activities that do not change the state (assigning the team, sessions,
judicial confirmation …) are allowed in the states of `ACTIVITY_STATES`.
Diagram and table: docs/workflows/mediation.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class State(models.TextChoices):
    REGISTERED = "registered", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("不予受理")
    MEDIATING = "mediating", _("调解中")
    AGREED = "agreed", _("达成协议")
    FAILED = "failed", _("调解不成")
    FOLLOWING_UP = "following_up", _("回访中")
    CLOSED = "closed", _("已结案")


class Action(models.TextChoices):
    ACCEPT = "accept", _("受理")
    DECLINE = "decline", _("不予受理")
    START = "start", _("开始调解")
    AGREE = "agree", _("达成调解协议")
    FAIL = "fail", _("调解不成")
    FOLLOW_UP = "follow_up", _("回访")
    CLOSE = "close", _("结案")


S = State
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.ACCEPT: (frozenset({S.REGISTERED}), S.ACCEPTED),
    # Declining (e.g. the dispute is already before a court, 《人民调解法》第18条)
    # needs a reason and a referral.
    Action.DECLINE: (frozenset({S.REGISTERED}), S.DECLINED),
    Action.START: (frozenset({S.ACCEPTED}), S.MEDIATING),
    Action.AGREE: (frozenset({S.MEDIATING}), S.AGREED),
    # Also from "accepted": a party may refuse mediation before any session
    # (《人民调解法》第17条、第26条); the case then ends without agreement.
    Action.FAIL: (frozenset({S.ACCEPTED, S.MEDIATING}), S.FAILED),
    # Every follow-up visit (回访) passes through here; later visits keep the state.
    Action.FOLLOW_UP: (frozenset({S.AGREED, S.FAILED, S.FOLLOWING_UP}), S.FOLLOWING_UP),
    # An agreement is closed only after at least one follow-up visit; a failed
    # case (already referred elsewhere) may close without one.
    Action.CLOSE: (frozenset({S.FOLLOWING_UP, S.FAILED}), S.CLOSED),
}


class Activity(models.TextChoices):
    """Work on a case that does not change its state."""

    ASSIGN_TEAM = "assign_team", _("指派调解团队")
    ADD_PARTY = "add_party", _("添加当事人")
    SCHEDULE_SESSION = "schedule_session", _("安排调解")
    RECORD_SESSION = "record_session", _("记录调解")
    CANCEL_SESSION = "cancel_session", _("取消调解")
    EXTEND = "extend", _("延长调解期限")
    JC_APPLY = "jc_apply", _("申请司法确认")
    JC_RESULT = "jc_result", _("登记司法确认结果")
    NOTE = "note", _("备注")


ACTIVITY_STATES: dict[str, frozenset[str]] = {
    Activity.ASSIGN_TEAM: frozenset({S.ACCEPTED, S.MEDIATING}),
    Activity.ADD_PARTY: frozenset({S.REGISTERED, S.ACCEPTED, S.MEDIATING}),
    Activity.SCHEDULE_SESSION: frozenset({S.ACCEPTED, S.MEDIATING}),
    # Recording the first session of an accepted case starts the mediation.
    Activity.RECORD_SESSION: frozenset({S.ACCEPTED, S.MEDIATING}),
    Activity.CANCEL_SESSION: frozenset({S.ACCEPTED, S.MEDIATING}),
    Activity.EXTEND: frozenset({S.ACCEPTED, S.MEDIATING}),
    # 《人民调解法》第33条: both parties apply within 30 days of the agreement.
    Activity.JC_APPLY: frozenset({S.AGREED, S.FOLLOWING_UP}),
    # The court's ruling may arrive after the case was closed.
    Activity.JC_RESULT: frozenset({S.AGREED, S.FOLLOWING_UP, S.CLOSED}),
    Activity.NOTE: frozenset(State.values),
}

# Cases somebody still works on (workloads, "my cases").
ACTIVE_STATES = frozenset({S.REGISTERED, S.ACCEPTED, S.MEDIATING, S.AGREED, S.FAILED, S.FOLLOWING_UP})
# The mediation period runs in these states (from acceptance to an outcome).
PERIOD_STATES = frozenset({S.ACCEPTED, S.MEDIATING})
FINAL_STATES = frozenset({S.DECLINED, S.CLOSED})


TABLE = TransitionTable(TRANSITIONS, activities=ACTIVITY_STATES)
allowed = TABLE.allowed
target = TABLE.target
activity_allowed = TABLE.activity_allowed


# --- Referrals (转介) -------------------------------------------------------------
# A grid worker or village staff member who meets a dispute first refers the
# matter to the centre; the centre accepts it (a case is registered from the
# matter) or returns it with a reason (the matter goes back to the referrer).
# A returned matter may be referred again: that is a new referral row, so each
# row keeps the history of one attempt. See docs/workflows/mediation.md.


class ReferralState(models.TextChoices):
    PENDING = "pending", _("待接收")
    ACCEPTED = "accepted", _("已接收")
    RETURNED = "returned", _("已退回")


class ReferralAction(models.TextChoices):
    ACCEPT = "accept", _("接收")
    RETURN = "return", _("退回")


REFERRAL_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    ReferralAction.ACCEPT: (frozenset({ReferralState.PENDING}), ReferralState.ACCEPTED),
    ReferralAction.RETURN: (frozenset({ReferralState.PENDING}), ReferralState.RETURNED),
}


REFERRAL_TABLE = TransitionTable(REFERRAL_TRANSITIONS)
referral_allowed = REFERRAL_TABLE.allowed
referral_target = REFERRAL_TABLE.target
