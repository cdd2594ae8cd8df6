"""The meeting lifecycle as a table. `TRANSITIONS[action] = (from states, to
state)`; the one helper in services/meetings.py checks it and updates with a
condition on the current state. Diagram: docs/workflows/deliberation.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    SCHEDULED = "scheduled", _("已召集")
    IN_SESSION = "in_session", _("会议进行中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class Action(models.TextChoices):
    OPEN = "open", _("开始会议")
    CLOSE = "close", _("结束会议")
    CANCEL = "cancel", _("取消会议")


S = State
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.OPEN: (frozenset({S.SCHEDULED}), S.IN_SESSION),
    Action.CLOSE: (frozenset({S.IN_SESSION}), S.CLOSED),
    Action.CANCEL: (frozenset({S.SCHEDULED}), S.CANCELLED),
}

# Agenda and invitations may change until the meeting ends; check-in and
# resolutions need a meeting in session.
EDITABLE_STATES = frozenset({S.SCHEDULED, S.IN_SESSION})
UPCOMING_STATES = frozenset({S.SCHEDULED, S.IN_SESSION})


def allowed(action: str, state: str) -> bool:
    sources, _target = TRANSITIONS[action]
    return state in sources


def target(action: str) -> str:
    return TRANSITIONS[action][1]
