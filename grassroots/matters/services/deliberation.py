"""议事 seen from the matter: a matter enters `deliberating` when a meeting
puts it on its agenda, and leaves it either with the meeting's decision
(plan, responsible unit, person, due date) or, when the meeting is adjourned
or cancelled before deciding, back to where it came from. The deliberation
app calls these services and nothing else changes the state."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.core.workdays import CalendarNotCovered, WorkCalendar

from .. import permissions
from ..errors import MatterError
from ..models import Matter, MatterEvent, ResponsibleUnit
from ..states import Action, State
from .notify import notify_arrangement_changed, notify_assignee
from .transitions import check_unit, date_label, precheck, text_required, transition


def matter_deliberation_start(*, actor: Actor, matter: Matter) -> Matter:
    """accepted/handling → deliberating: the matter goes to a consultation
    meeting (协商议事). Only this service enters the state."""
    precheck(actor=actor, matter=matter, action=Action.DELIBERATE)
    return transition(
        actor=actor,
        matter=matter,
        action=Action.DELIBERATE,
        updates={"for_deliberation": True},
        text="提交村(居)民协商议事。",
    )


def matter_deliberation_decide(
    *,
    actor: Actor,
    matter: Matter,
    plan: str,
    responsible_unit: ResponsibleUnit,
    assignee: Any,
    due_date: datetime.date,
) -> Matter:
    """deliberating → handling with the plan, responsible unit, person and
    due date the meeting agreed. The person gets an in-app note; the
    reporters get one text if the unit or the due date changed."""
    precheck(actor=actor, matter=matter, action=Action.DECIDE)
    plan = text_required(plan, field="plan", label="议定的办理方案", max_length=5000)
    if responsible_unit is None:
        raise MatterError("unit_required", "请选择责任单位。", field="responsible_unit")
    check_unit(responsible_unit, matter)
    if assignee is None or not permissions.can_be_assigned(assignee, matter):
        raise MatterError("assignee_invalid", "承办人须为在岗工作人员,且其辖区包含事项发生地。", field="assignee")
    today = timezone.localdate()
    if due_date is None or due_date < today:
        raise MatterError("due_date_past", "办理期限不能早于今天。", field="due_date")
    calendar = WorkCalendar()
    try:
        days = calendar.working_days_between(today, due_date)
        provisional = bool(calendar.provisional_days_in(today, due_date))
    except CalendarNotCovered as exc:
        raise MatterError("calendar_not_covered", f"无法核对办理期限:{exc.message}", field="due_date") from exc
    before_unit, before_due = matter.responsible_unit_id, matter.due_date

    def after(fresh: Matter, event: MatterEvent) -> None:
        notify_assignee(fresh, event, subject="议事后继续办理")
        notify_arrangement_changed(
            fresh=fresh, event=event, before_unit_id=before_unit, before_due=before_due, why="经议事研究"
        )

    return transition(
        actor=actor,
        matter=matter,
        action=Action.DECIDE,
        updates={
            "handling_plan": plan,
            "responsible_unit": responsible_unit,
            "assignee": assignee,
            "due_date": due_date,
            "due_provisional": provisional,
            "deadline_days": max(1, days),
            "for_deliberation": False,
        },
        text=f"议事形成办理方案,由{responsible_unit.name}办理,办理期限:{date_label(due_date)}。",
        data={
            "plan": plan,
            "responsible_unit": responsible_unit.pk,
            "assignee": assignee.pk,
            "due_date": due_date.isoformat(),
        },
        within=after,
    )


def matter_deliberation_withdraw(*, actor: Actor, matter: Matter, reason: str) -> Matter:
    """deliberating → back to handling when someone handles the matter (an
    assignee), else to accepted (to be assigned): the meeting holding it was
    adjourned or cancelled before deciding. Nothing the reporter was told
    changes, so nobody is texted; the assignee is told the work goes on."""
    action = Action.RETURN_HANDLING if matter.assignee_id else Action.RETURN_ACCEPTED
    precheck(actor=actor, matter=matter, action=action)
    reason = text_required(reason, field="reason", label="退出议事的原因", max_length=200)
    target = State.HANDLING if action == Action.RETURN_HANDLING else State.ACCEPTED
    return transition(
        actor=actor,
        matter=matter,
        action=action,
        text=f"议事未作决定({reason}),事项退回“{target.label}”。",
        data={"reason": reason},
        within=partial(notify_assignee, subject="议事中止,请继续办理"),
    )
