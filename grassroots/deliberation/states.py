"""The meeting lifecycle as a table. `TRANSITIONS[action] = (from states, to
state)`; the one helper in services/meetings.py checks it and updates with a
condition on the current state. Diagram: docs/workflows/deliberation.md.
Topic proposals have their own small table (`PROPOSAL_TABLE`), run by the
same engine in services/agenda.py."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.workflow import TransitionTable


class State(models.TextChoices):
    SCHEDULED = "scheduled", _("已召集")
    IN_SESSION = "in_session", _("会议进行中")
    ADJOURNED = "adjourned", _("休会中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class Action(models.TextChoices):
    OPEN = "open", _("开始会议")
    CLOSE = "close", _("结束会议")
    ADJOURN = "adjourn", _("休会")
    RESUME = "resume", _("继续会议")
    CANCEL = "cancel", _("取消会议")


S = State
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.OPEN: (frozenset({S.SCHEDULED}), S.IN_SESSION),
    Action.CLOSE: (frozenset({S.IN_SESSION}), S.CLOSED),
    Action.ADJOURN: (frozenset({S.IN_SESSION}), S.ADJOURNED),
    Action.RESUME: (frozenset({S.ADJOURNED}), S.IN_SESSION),
    Action.CANCEL: (frozenset({S.SCHEDULED, S.IN_SESSION, S.ADJOURNED}), S.CANCELLED),
}

# The agenda may change until the meeting ends, but not while it is adjourned
# (its open matters went back to handling); check-in and resolutions need a
# meeting in session. An adjourned meeting is still upcoming: its agenda
# matters wait for the continuation and go on no other agenda.
EDITABLE_STATES = frozenset({S.SCHEDULED, S.IN_SESSION})
UPCOMING_STATES = frozenset({S.SCHEDULED, S.IN_SESSION, S.ADJOURNED})
# Actions that need a reason (休会、取消), kept on the meeting and in the audit log.
REASON_REQUIRED = frozenset({Action.ADJOURN, Action.CANCEL})


TABLE = TransitionTable(TRANSITIONS)
allowed = TABLE.allowed
target = TABLE.target


# --- Topic proposals (议题建议): residents propose, staff moderate once ----------------------


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("未采纳")


class ProposalAction(models.TextChoices):
    ACCEPT = "accept", _("采纳")
    REJECT = "reject", _("不予采纳")


PROPOSAL_TABLE = TransitionTable(
    {
        ProposalAction.ACCEPT: (frozenset({ProposalStatus.PENDING}), ProposalStatus.ACCEPTED),
        ProposalAction.REJECT: (frozenset({ProposalStatus.PENDING}), ProposalStatus.REJECTED),
    }
)
