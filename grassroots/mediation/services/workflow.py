"""The dispute-case state transitions (states.py) through one helper, and the
mediation period.

The mediation period. 《人民调解法》 sets no period for people's mediation
(Art. 26 only says mediation ends when it fails). 《最高人民法院关于人民法院特邀
调解的规定》 Art. 20 gives 30 days for disputes a court entrusts (委派调解),
extendable when both parties agree, and local rules use the same 30 days for
all cases. So the period is a setting (`MEDIATION_PERIOD_DAYS`, default 30),
copied onto the case at acceptance so that changing the setting does not move
running deadlines, and extendable with the parties' consent.

How it is counted: calendar days (日), not working days, from the day after
acceptance (《民法典》 Art. 201: the day a period starts is not counted). A case
accepted on 1 March with 30 days is due on 31 March. We deliberately do not
apply Art. 203 (a period ending on a statutory holiday runs to the next day):
the period is the centre's own handling target, not a time limit on a party's
act, so nobody loses a right if it ends on a holiday; counting strictly warns
early rather than late, and keeps the deadline independent of the holiday
calendar (which has no data beyond 2026 until an administrator enters it).
The queue warns `MEDIATION_DUE_SOON_DAYS` (default 5) days ahead."""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.workflow import Workflow

from .. import permissions, states
from ..errors import MediationError, StaleState, TransitionNotAllowed
from ..models import (
    FAILURE_REFERRALS,
    Agreement,
    CaseEvent,
    DisputeCase,
    EventKind,
    FollowUp,
    FollowUpMethod,
    Outcome,
    Performance,
    Referral,
)
from ..states import Action, Activity, State
from .cases import require_both_sides
from .events import event_append

DEFAULT_PERIOD_DAYS = 30
DEFAULT_DUE_SOON_DAYS = 5
MAX_EXTENSION_DAYS = 30


def period_days() -> int:
    return int(getattr(settings, "MEDIATION_PERIOD_DAYS", DEFAULT_PERIOD_DAYS))


def due_soon_days() -> int:
    return int(getattr(settings, "MEDIATION_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS))


def due_date_for(accepted_on: datetime.date, days: int) -> datetime.date:
    """The last day of a period of `days` calendar days starting the day after `accepted_on`."""
    return accepted_on + datetime.timedelta(days=days)


def _text(value: str, *, code: str, message: str, field: str, min_length: int = 1, max_length: int = 5000) -> str:
    value = (value or "").strip()
    if len(value) < min_length:
        raise MediationError(code, message, field=field)
    if len(value) > max_length:
        raise MediationError(f"{field}_too_long", f"内容不能超过 {max_length} 个字。", field=field)
    return value


def _not_allowed(action: str, state: str) -> TransitionNotAllowed:
    label = Action(action).label if action in Action.values else Activity(action).label
    return TransitionNotAllowed(str(label), str(State(state).label))


WORKFLOW: Workflow[DisputeCase] = Workflow(
    model=DisputeCase, table=states.TABLE, not_allowed=_not_allowed, stale=StaleState
)


def _check(action: str, case: DisputeCase) -> None:
    WORKFLOW.check(action, case)


def _check_activity(activity: str, case: DisputeCase) -> None:
    WORKFLOW.check_activity(activity, case)


def transition(
    *,
    actor: Actor,
    case: DisputeCase,
    action: str,
    updates: dict[str, Any] | None = None,
    text: str = "",
    data: dict[str, Any] | None = None,
) -> DisputeCase:
    """A case changes state only here, through the platform's workflow engine:
    the permission of the action, the table, the conditional update, the case
    event and the audit entry in one transaction."""
    return WORKFLOW.transition(
        case,
        action=action,
        actor=actor,
        permission=partial(permissions.require_transition, actor, case, action),
        updates=updates,
        event=lambda fresh, source, target: event_append(
            case=fresh,
            kind=EventKind.TRANSITION,
            actor=actor,
            action=action,
            from_state=source,
            to_state=target,
            text=text,
            data=data,
        ),
    )


def dispute_accept(*, actor: Actor, case: DisputeCase) -> DisputeCase:
    """受理: the mediation period starts the day after today."""
    permissions.require_manage(actor, case)
    _check(Action.ACCEPT, case)
    require_both_sides(list(case.parties.all()))
    today = timezone.localdate()
    days = period_days()
    transition(
        actor=actor,
        case=case,
        action=Action.ACCEPT,
        updates={"accepted_on": today, "period_days": days, "due_date": due_date_for(today, days)},
        text=f"调解期限 {days} 日,至 {due_date_for(today, days):%Y年%m月%d日}",
    )
    return case


def _referral(referral: str, note: str, *, allowed: frozenset[str] | None = None) -> tuple[str, str]:
    if referral not in Referral.values or (allowed is not None and referral not in allowed):
        labels = "、".join(str(Referral(r).label) for r in sorted(allowed or Referral.values))
        raise MediationError("referral_invalid", f"请选择引导去向:{labels}。", field="referral")
    note = (note or "").strip()
    if len(note) > 200:
        raise MediationError("referral_note_too_long", "引导说明不能超过 200 个字。", field="referral_note")
    return referral, note


def dispute_decline(
    *, actor: Actor, case: DisputeCase, reason: str, referral: str, referral_note: str = ""
) -> DisputeCase:
    """不予受理, with the reason and where the parties were referred."""
    permissions.require_manage(actor, case)
    _check(Action.DECLINE, case)
    reason = _text(reason, code="reason_required", message="请填写不予受理的理由。", field="reason", max_length=2000)
    referral, referral_note = _referral(referral, referral_note)
    transition(
        actor=actor,
        case=case,
        action=Action.DECLINE,
        updates={
            "decline_reason": reason,
            "referral": referral,
            "referral_note": referral_note,
            "outcome": Outcome.DECLINED,
            "concluded_at": timezone.now(),
        },
        text=f"{reason}\n引导去向:{Referral(referral).label}{('(' + referral_note + ')') if referral_note else ''}",
    )
    return case


def require_team(case: DisputeCase) -> None:
    if case.committee_id is None or not case.team_members.exists():
        raise MediationError("team_required", "请先指派调解团队(调委会和至少一名调解员)。", field="team")


def dispute_start(*, actor: Actor, case: DisputeCase) -> DisputeCase:
    permissions.require_work(actor, case)
    _check(Action.START, case)
    require_team(case)
    transition(actor=actor, case=case, action=Action.START)
    return case


def dispute_agree(
    *,
    actor: User,
    case: DisputeCase,
    facts: str,
    terms: str,
    performance_method: str,
    performance_deadline: datetime.date | None,
    signed_on: datetime.date | None = None,
) -> Agreement:
    """达成协议: record the agreement (人民调解协议书, 《人民调解法》第28–29条)."""
    permissions.require_work(actor, case)
    _check(Action.AGREE, case)
    facts = _text(facts, code="facts_required", message="请填写纠纷主要事实和争议事项。", field="facts", min_length=5)
    terms = _text(terms, code="terms_required", message="请填写协议内容。", field="terms", min_length=5)
    performance_method = _text(
        performance_method,
        code="performance_required",
        message="请填写履行方式和地点。",
        field="performance_method",
        max_length=300,
    )
    today = timezone.localdate()
    signed_on = signed_on or today
    if signed_on > today or (case.accepted_on and signed_on < case.accepted_on):
        raise MediationError("signed_on_invalid", "签订日期应在受理日期和今天之间。", field="signed_on")
    if performance_deadline is not None and performance_deadline < signed_on:
        raise MediationError("deadline_invalid", "履行期限不能早于签订日期。", field="performance_deadline")
    deadline_text = f"履行期限 {performance_deadline:%Y-%m-%d}" if performance_deadline else "即时履行"
    with transaction.atomic():
        agreement = Agreement.objects.create(
            case=case,
            facts=facts,
            terms=terms,
            performance_method=performance_method,
            performance_deadline=performance_deadline,
            signed_on=signed_on,
            created_by=actor,
        )
        transition(
            actor=actor,
            case=case,
            action=Action.AGREE,
            updates={"outcome": Outcome.AGREED, "concluded_at": timezone.now()},
            text=f"签订调解协议,{deadline_text}",
        )
    return agreement


def dispute_fail(
    *,
    actor: Actor,
    case: DisputeCase,
    reason: str,
    referral: str,
    referral_note: str = "",
) -> DisputeCase:
    """调解不成: the parties are referred to a court, arbitration or the petition channel."""
    permissions.require_work(actor, case)
    _check(Action.FAIL, case)
    reason = _text(reason, code="reason_required", message="请填写调解不成的原因。", field="reason", max_length=2000)
    referral, referral_note = _referral(referral, referral_note, allowed=FAILURE_REFERRALS)
    transition(
        actor=actor,
        case=case,
        action=Action.FAIL,
        updates={
            "failure_reason": reason,
            "referral": referral,
            "referral_note": referral_note,
            "outcome": Outcome.FAILED,
            "concluded_at": timezone.now(),
        },
        text=f"{reason}\n引导去向:{Referral(referral).label}",
    )
    return case


def dispute_follow_up(
    *,
    actor: User,
    case: DisputeCase,
    visited_on: datetime.date,
    method: str,
    performance: str,
    note: str,
) -> FollowUp:
    """回访: was the agreement performed? Every visit is a FOLLOW_UP transition."""
    permissions.require_work(actor, case)
    _check(Action.FOLLOW_UP, case)
    if method not in FollowUpMethod.values:
        raise MediationError("method_invalid", "回访方式无效。", field="method")
    if performance not in Performance.values:
        raise MediationError("performance_invalid", "履行情况无效。", field="performance")
    has_agreement = case.outcome == Outcome.AGREED
    if has_agreement == (performance == Performance.NOT_APPLICABLE):
        message = "请选择协议的履行情况。" if has_agreement else "本案未达成协议,履行情况请选“无协议”。"
        raise MediationError("performance_invalid", message, field="performance")
    if visited_on > timezone.localdate():
        raise MediationError("visited_on_future", "回访日期不能晚于今天。", field="visited_on")
    concluded = timezone.localdate(case.concluded_at) if case.concluded_at else None
    if concluded and visited_on < concluded:
        raise MediationError("visited_on_early", "回访日期不能早于调解结束日期。", field="visited_on")
    note = _text(note, code="note_required", message="请填写回访情况。", field="note", max_length=2000)
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            case=case, visited_on=visited_on, method=method, performance=performance, note=note, created_by=actor
        )
        transition(
            actor=actor,
            case=case,
            action=Action.FOLLOW_UP,
            text=f"{follow_up.get_method_display()}:{follow_up.get_performance_display()}。{note}",
            data={"follow_up": follow_up.pk, "performance": performance},
        )
    return follow_up


def dispute_close(*, actor: Actor, case: DisputeCase, summary: str) -> DisputeCase:
    permissions.require_manage(actor, case)
    _check(Action.CLOSE, case)
    summary = _text(summary, code="summary_required", message="请填写结案小结。", field="summary", max_length=2000)
    transition(
        actor=actor,
        case=case,
        action=Action.CLOSE,
        updates={"close_summary": summary, "closed_at": timezone.now()},
        text=summary,
    )
    return case


def dispute_extend(*, actor: Actor, case: DisputeCase, days: int, reason: str) -> DisputeCase:
    """Extend the period with both parties' consent (特邀调解规定第20条)."""
    permissions.require_work(actor, case)
    _check_activity(Activity.EXTEND, case)
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise MediationError("days_invalid", f"延长天数应为 1 到 {MAX_EXTENSION_DAYS} 日。", field="days")
    reason = _text(
        reason, code="reason_required", message="请写明延长理由(须经双方当事人同意)。", field="reason", max_length=500
    )
    assert case.due_date is not None  # accepted cases always have one (database check)
    new_due = case.due_date + datetime.timedelta(days=days)
    with transaction.atomic():
        changed = DisputeCase.objects.filter(pk=case.pk, state=case.state, due_date=case.due_date).update(
            due_date=new_due, extended_days=case.extended_days + days, updated_at=timezone.now()
        )
        if changed != 1:
            raise StaleState()
        case.due_date, case.extended_days = new_due, case.extended_days + days
        event_append(
            case=case,
            kind=EventKind.EXTENDED,
            actor=actor,
            text=f"延长 {days} 日,至 {new_due:%Y年%m月%d日}。{reason}",
            data={"days": days},
        )
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=case, detail={"extend_days": days})
    return case


def dispute_note(*, actor: Actor, case: DisputeCase, text: str) -> CaseEvent:
    permissions.require_work(actor, case)
    text = _text(text, code="text_required", message="请填写备注内容。", field="text", max_length=2000)
    return event_append(case=case, kind=EventKind.NOTE, actor=actor, text=text)
