"""The one transition helper of the matter lifecycle and the small checks
the services share. `transition` checks the state table (states.py), the
capability and the actor's subtree, updates with a condition on the current
state (works on SQLite, where select_for_update does nothing), appends a
timeline event and an audit entry, and schedules side effects after commit."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.workdays import CalendarNotCovered, DeadlineInfo, WorkCalendar

from .. import permissions, states
from ..errors import MatterError, StaleState, TransitionNotAllowed
from ..models import EventKind, Matter, MatterEvent, ResponsibleUnit
from ..states import Action, State
from .events import event_append
from .intake import matter_index


def text_required(value: str | None, *, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise MatterError(f"{field}_required", f"请填写{label}。", field=field)
    if len(text) > max_length:
        raise MatterError(f"{field}_too_long", f"{label}不能超过 {max_length} 个字。", field=field)
    return text


def is_user(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def precheck(*, actor: Any, matter: Matter, action: str, allowed: bool) -> None:
    """Scope (404), capability (403), then the state table (409), before any
    input is validated or anything is computed."""
    permissions.require_scope(actor, matter)
    permissions.require(allowed)
    if not states.allowed(action, matter.state):
        raise TransitionNotAllowed(str(Action(action).label), str(State(matter.state).label))


def deadline_from_today(days: int, *, start: datetime.date | None = None) -> DeadlineInfo:
    start = start or timezone.localdate()
    try:
        return WorkCalendar().deadline_after(start, days)
    except CalendarNotCovered as exc:
        raise MatterError("calendar_not_covered", f"无法计算办理期限:{exc.message}") from exc


def date_label(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def reindex(matter_pk: int) -> None:
    matter = Matter.objects.filter(pk=matter_pk).first()
    if matter is not None:
        matter_index(matter)


def check_unit(unit: ResponsibleUnit, matter: Matter) -> None:
    if not unit.active:
        raise MatterError("unit_inactive", "该责任单位已停用,请选择其他单位。", field="responsible_unit")
    if not matter.path.startswith(unit.path):
        raise MatterError(
            "unit_out_of_area", "责任单位须为事项发生地所在的网格、村/社区或街道部门。", field="responsible_unit"
        )


def transition(
    *,
    actor: Any,
    matter: Matter,
    action: str,
    allowed: bool,
    updates: dict[str, Any] | None = None,
    text: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
    request: Any = None,
    within: Callable[[Matter, MatterEvent], None] | None = None,
    actor_label: str = "",
) -> Matter:
    """The one way a matter changes state. `within(matter, event)` runs in the
    same transaction after the event is written (notifications through the
    outbox, attachments, extra events); search reindexing runs after commit.
    On success the given instance is refreshed and returned; on any error
    nothing is written."""
    precheck(actor=actor, matter=matter, action=action, allowed=allowed)
    source = matter.state
    target = states.target(action)
    with transaction.atomic():
        changed = Matter.objects.filter(pk=matter.pk, state=source).update(
            state=target, updated_at=timezone.now(), **(updates or {})
        )
        if not changed:
            raise StaleState()
        fresh = Matter.objects.select_related("node", "category", "responsible_unit", "assignee").get(pk=matter.pk)
        event = event_append(
            matter=fresh,
            kind=EventKind.TRANSITION,
            actor=actor,
            actor_label=actor_label or ("" if is_user(actor) else "系统"),
            action=action,
            from_state=source,
            to_state=target,
            text=text,
            public=public,
            data=data,
        )
        if within is not None:
            within(fresh, event)
        # Last in the block: the audit chain is held until commit.
        audit_record(
            action=AuditAction.STATE_CHANGE,
            actor=actor if is_user(actor) else None,
            request=request,
            obj=fresh,
            detail={"number": fresh.number, "action": action, "from": source, "to": target},
        )
        transaction.on_commit(partial(reindex, fresh.pk))
    matter.refresh_from_db()
    return matter
