"""办事: the state transitions of a matter (accept, reject, merge, assign,
resolve) and notes. Each goes through `transitions.transition`. Closing and
reopening live in `closing.py`, entering and leaving 议事 (deliberate, decide,
return) in `deliberation.py`, escalation and the joint-meeting list in
`escalation.py`, responsible units in `units.py`; all are re-exported here so
that callers use one module. Diagram and rules: docs/workflows/matter.md."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.core.actors import is_user
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record

from .. import permissions, states
from ..attachments import check_files
from ..errors import MatterError, StaleState, TransitionNotAllowed
from ..models import Category, EventKind, Matter, MatterEvent, ResponsibleUnit, Urgency
from ..states import Action, State
from .advice import advice_chosen
from .closing import matter_close, matter_reopen, matter_reopen_for_request, publicity_missing
from .deliberation import matter_deliberation_decide, matter_deliberation_start, matter_deliberation_withdraw
from .escalation import joint_topic_take, matter_escalate, matter_request_joint_meeting, matters_escalate_overdue
from .events import event_append
from .intake import _store_attachments
from .notify import code_label, notify_assignee, notify_reporters, short_title, tracking_link
from .transitions import check_unit, date_label, deadline_from_today, precheck, text_required, transition
from .units import DEPARTMENTS, responsible_unit_default

__all__ = [
    "DEPARTMENTS",
    "code_label",
    "joint_topic_take",
    "matter_accept",
    "matter_add_note",
    "matter_assign",
    "matter_close",
    "matter_deliberation_decide",
    "matter_deliberation_start",
    "matter_deliberation_withdraw",
    "matter_escalate",
    "matter_merge",
    "matter_reject",
    "matter_reopen",
    "matter_reopen_for_request",
    "matter_request_joint_meeting",
    "matter_resolve",
    "matters_escalate_overdue",
    "publicity_missing",
    "responsible_unit_default",
]


def matter_accept(
    *,
    actor: Actor,
    matter: Matter,
    category: Category,
    responsible_unit: ResponsibleUnit | None = None,
    urgency: str | None = None,
    touches_collective: bool | None = None,
) -> Matter:
    """reported → accepted. The due date is `category.deadline_days` working
    days after today (Asia/Shanghai), flagged provisional when it rests on
    unconfirmed holiday rows; an uncovered calendar year refuses the
    acceptance and changes nothing. The reporter (and the reporters of
    matters merged into this one) get a text with the due date."""
    precheck(actor=actor, matter=matter, action=Action.ACCEPT)
    if category is None:
        raise MatterError("category_required", "请选择事项分类。", field="category")
    if not category.active:
        raise MatterError("category_inactive", "该分类已停用,请选择其他分类。", field="category")
    if urgency is not None and urgency not in Urgency.values:
        raise MatterError("urgency_invalid", "紧急程度无效。", field="urgency")
    if responsible_unit is not None:
        check_unit(responsible_unit, matter)
    deadline = deadline_from_today(category.deadline_days)
    with transaction.atomic():
        unit = responsible_unit or responsible_unit_default(matter=matter, category=category)
        updates: dict[str, Any] = {
            "category": category,
            "responsible_unit": unit,
            "due_date": deadline.due,
            "due_provisional": deadline.provisional,
            "deadline_days": category.deadline_days,
            "accepted_at": timezone.now(),
        }
        if urgency is not None:
            updates["urgency"] = urgency
        if touches_collective is not None:
            updates["touches_collective"] = touches_collective
        text = (
            f"已受理。分类:{category};责任单位:{unit.name};"
            f"办理期限:{date_label(deadline.due)}({category.deadline_days} 个工作日)。"
        )
        if deadline.provisional:
            text += "该期限依据暂定的节假日安排计算,可能随正式安排调整。"

        def notify(fresh: Matter, event: MatterEvent) -> None:
            due = date_label(deadline.due)

            def body(target: Matter) -> str:
                own = f"您反映的“{short_title(target.title)}”"
                if target.pk != fresh.pk:
                    own += f"已并入事项(查询码 {code_label(fresh)})一并办理,现"
                return f"{own}已受理,由{unit.name}办理,办理期限至 {due}。查询码 {code_label(fresh)}。"

            notify_reporters(
                matter=fresh,
                event=event,
                compose=body,
                progress=lambda target: (
                    ("已并入同类事项," if target.pk != fresh.pk else "") + f"已受理,由{unit.name}办理,期限至{due}"
                ),
                code=code_label(fresh),
                subject="事项已受理",
                link=tracking_link(fresh.tracking_code),
            )

        accepted = transition(
            actor=actor,
            matter=matter,
            action=Action.ACCEPT,
            updates=updates,
            text=text,
            data={
                "category": category.code,
                "responsible_unit": unit.pk,
                "due_date": deadline.due.isoformat(),
                "provisional": deadline.provisional,
                "deadline_notes": deadline.notes,
            },
            within=notify,
        )
        # What staff finally chose, logged against the suggestion (ADR 0050).
        advice_chosen(matter=accepted, category=category, actor=actor)
        return accepted


def matter_reject(*, actor: Actor, matter: Matter, reason: str) -> Matter:
    """reported → rejected, with a reason the reporter is told."""
    precheck(actor=actor, matter=matter, action=Action.REJECT)
    reason = text_required(reason, field="reason", label="不予受理的理由", max_length=1000)

    def notify(fresh: Matter, event: MatterEvent) -> None:
        notify_reporters(
            matter=fresh,
            event=event,
            compose=lambda target: (
                f"您反映的“{short_title(target.title)}”不予受理,理由:{reason[:60]}。如有疑问请联系所在村/社区。"
            ),
            progress=lambda target: f"不予受理,理由:{reason}",
            code=code_label(fresh),
            subject="事项不予受理",
            link=tracking_link(fresh.tracking_code),
        )

    return transition(
        actor=actor,
        matter=matter,
        action=Action.REJECT,
        updates={"rejection_reason": reason},
        text=f"不予受理。理由:{reason}",
        within=notify,
    )


def matter_merge(*, actor: Actor, matter: Matter, into: Matter) -> Matter:
    """reported/accepted → merged into another open matter in the actor's
    scope. The merged matter's reporters (and those who followed it) follow
    the surviving matter from now on; the survivor's timeline says so."""
    precheck(actor=actor, matter=matter, action=Action.MERGE)
    if into is None:
        raise MatterError("merge_target_required", "请选择要并入的事项。", field="into")
    if into.pk == matter.pk:
        raise MatterError("merge_self", "不能把事项合并到它自己。", field="into")
    if is_user(actor) and not permissions.in_scope(actor, into):
        raise MatterError("merge_target_not_found", "未找到要并入的事项,或它不在您的辖区内。", field="into")
    if into.state not in states.OPEN_STATES:
        raise MatterError(
            "merge_target_not_open",
            f"只能并入未办结的事项,事项 {into.number} 当前为“{State(into.state).label}”。",
            field="into",
        )

    def survivor_side(fresh: Matter, event: MatterEvent) -> None:
        # The survivor must still be open when we commit: the touch takes its
        # row lock on PostgreSQL and fails if someone closed it meanwhile.
        if not Matter.objects.filter(pk=into.pk, state__in=states.OPEN_STATES).update(updated_at=timezone.now()):
            raise StaleState()
        event_append(
            matter=into,
            kind=EventKind.MERGED_IN,
            actor=actor,
            actor_label="" if is_user(actor) else "系统",
            text=f"同类事项 {fresh.number} 已并入本事项一并办理。",
            public=True,
            data={"merged": fresh.pk, "number": fresh.number},
        )
        notify_reporters(
            matter=fresh,
            event=event,
            compose=lambda target: (
                f"您反映的“{short_title(target.title)}”与同类事项合并办理,请用查询码 {code_label(into)} 查看办理进展。"
            ),
            progress=lambda target: "与同类事项合并办理",
            code=code_label(into),
            subject="事项已合并办理",
            link=tracking_link(into.tracking_code),
        )

    return transition(
        actor=actor,
        matter=matter,
        action=Action.MERGE,
        updates={"merged_into": into},
        text=f"与同类事项 {into.number} 合并办理,请关注该事项的进展。",
        data={"into": into.pk, "number": into.number},
        within=survivor_side,
    )


def matter_assign(*, actor: Actor, matter: Matter, assignee: Any, plan: str) -> Matter:
    """accepted → handling with an assignee and a handling plan. On a matter
    already in handling it is a reassignment: no state change, a REASSIGNED
    event. The new assignee gets an in-app notification."""
    permissions.require_scope(actor, matter)
    permissions.require(permissions.can_handle(actor))
    if matter.state != State.HANDLING and not states.allowed(Action.ASSIGN, matter.state):
        raise TransitionNotAllowed(str(Action.ASSIGN.label), str(State(matter.state).label))
    plan = text_required(plan, field="plan", label="办理方案", max_length=5000)
    if assignee is None or not permissions.can_be_assigned(assignee, matter):
        raise MatterError("assignee_invalid", "承办人须为在岗工作人员,且其辖区包含事项发生地。", field="assignee")
    if matter.state == State.HANDLING:
        return _reassign(actor=actor, matter=matter, assignee=assignee, plan=plan)
    unit = matter.responsible_unit.name if matter.responsible_unit else "责任单位"
    return transition(
        actor=actor,
        matter=matter,
        action=Action.ASSIGN,
        updates={"assignee": assignee, "handling_plan": plan},
        text=f"已交{unit}办理。",
        data={"assignee": assignee.pk, "plan": plan},
        within=partial(notify_assignee, subject="新交办事项"),
    )


def _reassign(*, actor: Actor, matter: Matter, assignee: Any, plan: str) -> Matter:
    if assignee.pk == matter.assignee_id and plan == matter.handling_plan:
        raise MatterError("assign_unchanged", "承办人和办理方案都没有变化。", field="assignee")
    previous = matter.assignee
    with transaction.atomic():
        changed = Matter.objects.filter(pk=matter.pk, state=State.HANDLING, assignee_id=matter.assignee_id).update(
            assignee=assignee, handling_plan=plan, updated_at=timezone.now()
        )
        if not changed:
            raise StaleState()
        fresh = Matter.objects.select_related("assignee").get(pk=matter.pk)
        same = previous is not None and previous.pk == assignee.pk
        event = event_append(
            matter=fresh,
            kind=EventKind.REASSIGNED,
            actor=actor,
            text="更新办理方案。" if same else f"改派承办人:{previous or '无'} → {assignee}。",
            public=False,
            data={"from": previous.pk if previous else None, "to": assignee.pk, "plan": plan},
        )
        if not same:
            notify_assignee(fresh, event, subject="改派给您的事项")
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=fresh,
            detail={
                "number": fresh.number,
                "assignee_from": previous.pk if previous else None,
                "assignee_to": assignee.pk,
            },
        )
    matter.refresh_from_db()
    return matter


def matter_resolve(*, actor: Actor, matter: Matter, result: str, files: list[Any] | None = None) -> Matter:
    """handling → resolved, by the assignee or a handler. The result and its
    attachments are public; the reporters get a link to rate the handling."""
    precheck(actor=actor, matter=matter, action=Action.RESOLVE)
    result = text_required(result, field="result", label="办理结果", max_length=5000)
    checked = check_files(list(files or []))

    def after(fresh: Matter, event: MatterEvent) -> None:
        _store_attachments(fresh, checked, actor=actor, public=True, event=event)
        link = tracking_link(fresh.tracking_code)
        notify_reporters(
            matter=fresh,
            event=event,
            compose=lambda target: (
                f"您反映的“{short_title(target.title)}”已办结,请查看办理结果并评价(查询码 {code_label(fresh)})。"
            ),
            progress=lambda target: "已办结,请查看办理结果并评价",
            code=code_label(fresh),
            subject="事项已办结",
            link=link,
        )

    return transition(
        actor=actor,
        matter=matter,
        action=Action.RESOLVE,
        updates={"result": result, "resolved_at": timezone.now(), "resolution_round": F("resolution_round") + 1},
        text=f"已办结。办理结果:{result}",
        within=after,
    )


def matter_add_note(
    *, actor: Actor, matter: Matter, text: str, public: bool, files: list[Any] | None = None
) -> MatterEvent:
    """An internal note (staff only) or a public reply (shown to the reporter
    on the tracking page), by anyone who sees the matter; with photos taken
    on a follow-up visit (the field app, ADR 0054) kept as the matter's attachments."""
    permissions.require_scope(actor, matter)
    permissions.require(permissions.can_view(actor))
    text = text_required(text, field="text", label="内容", max_length=2000)
    checked = check_files(list(files or []))
    with transaction.atomic():
        event = event_append(
            matter=matter, kind=EventKind.REPLY if public else EventKind.NOTE, actor=actor, text=text, public=public
        )
        _store_attachments(matter, checked, actor=actor, public=False, event=event)
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            obj=event,
            detail={"matter": matter.number, "public": bool(public)},
        )
    return event
