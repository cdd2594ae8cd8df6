"""The matter lifecycle bound to the platform's workflow engine
(core/workflow.py), and the small checks the services share. `transition`
checks the actor's subtree and capability (permissions.require_transition)
and the state table (states.py), updates with a condition on the current
state, appends a timeline event and an audit entry, and reindexes after
commit."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.core.actors import is_user
from grassroots.core.workdays import CalendarNotCovered, DeadlineInfo, WorkCalendar
from grassroots.core.workflow import Workflow

from .. import permissions, states
from ..errors import MatterError, StaleState, TransitionNotAllowed
from ..models import EventKind, Matter, MatterEvent, ResponsibleUnit
from ..states import Action, State
from . import rollup
from .events import event_append
from .intake import matter_index


def text_required(value: str | None, *, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise MatterError(f"{field}_required", f"请填写{label}。", field=field)
    if len(text) > max_length:
        raise MatterError(f"{field}_too_long", f"{label}不能超过 {max_length} 个字。", field=field)
    return text


def precheck(*, actor: Actor, matter: Matter, action: str) -> None:
    """Scope (404), capability (403), then the state table (409), before any
    input is validated or anything is computed."""
    permissions.require_transition(actor, matter, action)
    WORKFLOW.check(action, matter)


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


def _fresh(pk: int) -> Matter:
    return Matter.objects.select_related("node", "category", "responsible_unit", "assignee").get(pk=pk)


WORKFLOW: Workflow[Matter] = Workflow(
    model=Matter,
    table=states.TABLE,
    not_allowed=lambda action, state: TransitionNotAllowed(str(Action(action).label), str(State(state).label)),
    stale=StaleState,
    audit_detail=lambda matter: {"number": matter.number},
)


def transition(
    *,
    actor: Actor,
    matter: Matter,
    action: str,
    updates: dict[str, Any] | None = None,
    text: str = "",
    public: bool = True,
    data: dict[str, Any] | None = None,
    within: Callable[[Matter, MatterEvent], None] | None = None,
    actor_label: str = "",
) -> Matter:
    """A matter changes state only here, through the platform's workflow
    engine. `within(matter, event)` runs in the same transaction after the
    event is written (notifications through the outbox, attachments, extra
    events); search reindexing runs after commit. On success the given
    instance is refreshed and returned; on any error nothing is written."""

    def event(fresh: Matter, source: str, target: str) -> MatterEvent:
        return event_append(
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

    # The rollup row the matter leaves (ADR 0047): its key as read, which the
    # engine's update conditional on the current state keeps valid.
    before = rollup.key_of(matter)

    def after(fresh: Matter, written: MatterEvent | None) -> None:
        if written is not None:
            rollup.rollup_matter_changed(
                before=before, matter=fresh, source=written.from_state, target=written.to_state
            )
        if within is not None and written is not None:
            within(fresh, written)

    return WORKFLOW.transition(
        matter,
        action=action,
        actor=actor,
        permission=partial(permissions.require_transition, actor, matter, action),
        updates=updates,
        event=event,
        within=after,
        reload=_fresh,
        after_commit=partial(reindex, matter.pk),
    )
