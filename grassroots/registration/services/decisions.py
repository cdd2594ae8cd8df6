"""Deciding an accepted application: suspensions and the extension of the
clock, approval (with the certificate issued at once for establishment and
renewal) and refusal. Clock rules are in `clock.py`.

- 《行政许可法》第45条: hearings, expert review, inspection and the like do not
  count (`clock_suspend` / `clock_resume`, `ClockStop` rows); the applicant is
  told in writing (SMS and the tracking page).
- 第42条: one extension of 10 working days, approved by the head of the
  authority (WINDOW_DECIDE), with the reason told to the applicant.
- 第38条: a refusal gives reasons and tells the applicant of the right to
  administrative reconsideration or litigation.
- 第44条: the certificate is delivered within 10 days of the decision; the
  window issues it at once (`certificates.certificate_issue`).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Capability
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import Conflict
from grassroots.core.workdays import CalendarNotCovered, WorkCalendar

from ..errors import RegistrationError, StaleState, TransitionNotAllowed
from ..models import Application, ClockStop, ServiceKind
from ..states import Action, State
from .certificates import certificate_issue
from .clock import EXTENSION_DAYS, decision_dues, stops_of
from .commitments import commitment_schedule_verification
from .workflow import event_add, lock, notify_applicant, require, transition

if TYPE_CHECKING:
    pass

REASON_MAX = 200
DECISION_REASON_MAX = 2000
SUSPENSION_KINDS = (ClockStop.Kind.HEARING, ClockStop.Kind.EXPERT, ClockStop.Kind.INSPECTION)
ISSUING_KINDS = (ServiceKind.ESTABLISH, ServiceKind.RENEWAL)


def _reason(value: str, *, required: bool, max_length: int, label: str = "理由") -> str:
    reason = (value or "").strip()
    if required and not reason:
        raise RegistrationError("reason_required", f"请填写{label}。", field="reason")
    if len(reason) > max_length:
        raise RegistrationError("reason_too_long", f"{label}不能超过{max_length}个字。", field="reason")
    return reason


def recompute_dues(application: Application, *, today: datetime.date | None = None) -> dict[str, Any]:
    """Statutory and promised due dates with every suspension and extension
    of the application, as field updates."""
    if application.accepted_on is None:
        return {}
    try:
        statutory, promised = decision_dues(
            accepted_on=application.accepted_on,
            statutory_days=application.service.statutory_days,
            promised_days=application.service.promised_days,
            stops=stops_of(application.clock_stops.all()),
            today=today,
            calendar=WorkCalendar(),
        )
    except CalendarNotCovered:
        return {"due_provisional": True}
    return {
        "statutory_due": statutory.due,
        "promised_due": promised.due,
        "due_provisional": statutory.provisional or promised.provisional,
    }


def _day(value: datetime.date | None, *, today: datetime.date, field: str) -> datetime.date:
    day = value or today
    if day > today:
        raise RegistrationError("date_in_future", "日期不能晚于今天。", field=field)
    return day


def clock_suspend(
    *,
    actor: User,
    application: Application,
    kind: str,
    reason: str,
    started_on: datetime.date | None = None,
) -> ClockStop:
    """accepted → suspended: the clock stops from `started_on` (default today,
    that day included) for a hearing, expert review or inspection."""
    require(actor, Capability.WINDOW_WORK)
    if kind not in SUSPENSION_KINDS:
        raise RegistrationError(
            "suspension_kind_invalid", "请选择中止计时的事由(听证、专家评审、检验检测或实地核查)。", field="kind"
        )
    reason = _reason(reason, required=True, max_length=REASON_MAX)
    today = timezone.localdate()
    with transaction.atomic():
        application = lock(application)
        start = _day(started_on, today=today, field="started_on")
        if application.accepted_on and start < application.accepted_on:
            raise RegistrationError("date_before_acceptance", "中止日期不能早于受理日期。", field="started_on")
        if application.clock_stops.filter(ended_on__gte=start, extension_days=0).exists():
            raise RegistrationError("overlapping_suspension", "中止日期与已有的中止期间重叠。", field="started_on")
        label = str(ClockStop.Kind(kind).label)
        transition(
            application,
            action=Action.SUSPEND,
            actor=actor,
            text=f"因{label}中止计时(自{start:%Y年%m月%d日}起):{reason}。该期间不计入办理期限。",
            data={"kind": kind, "started_on": start.isoformat()},
        )
        stop = ClockStop.objects.create(
            application=application, kind=kind, reason=reason, started_on=start, created_by=actor
        )
        notify_applicant(
            application,
            f"{application.org_name}的申请因{label}自{start:%Y年%m月%d日}起中止计时,所需时间不计入办理期限(《行政许可法》第四十五条)。",
            key=f"suspended-{stop.pk}",
        )
    return stop


def clock_resume(
    *,
    actor: User,
    application: Application,
    ended_on: datetime.date | None = None,
) -> Application:
    """suspended → accepted: the suspension ends on `ended_on` (default today,
    that day still not counted) and the due dates move on by its working days."""
    require(actor, Capability.WINDOW_WORK)
    today = timezone.localdate()
    with transaction.atomic():
        application = lock(application)
        stop = application.clock_stops.filter(ended_on__isnull=True, extension_days=0).order_by("-started_on").first()
        if application.state != State.SUSPENDED:
            raise TransitionNotAllowed(Action.RESUME, application.state)
        if stop is None:  # pragma: no cover - a suspended application always has its open stop
            raise StaleState()
        end = _day(ended_on, today=today, field="ended_on")
        if end < stop.started_on:
            raise RegistrationError("date_before_start", "恢复日期不能早于中止日期。", field="ended_on")
        ClockStop.objects.filter(pk=stop.pk, ended_on__isnull=True).update(ended_on=end)
        updates = recompute_dues(application, today=today)
        transition(
            application,
            action=Action.RESUME,
            actor=actor,
            text=f"恢复计时({stop.get_kind_display()}期间 {stop.started_on:%Y年%m月%d日}至{end:%Y年%m月%d日}不计入期限)"
            + (f",法定期限顺延至{updates['statutory_due']:%Y年%m月%d日}。" if updates.get("statutory_due") else "。"),
            data={"stop": stop.pk, "ended_on": end.isoformat(), "statutory_due": str(updates.get("statutory_due", ""))},
            updates=updates,
        )
        notify_applicant(application, f"{application.org_name}的申请已恢复计时。", key=f"resumed-{stop.pk}")
    return application


def clock_extend(*, actor: User, application: Application, reason: str) -> ClockStop:
    """Extend the statutory limit once by 10 working days (Art. 42)."""
    require(actor, Capability.WINDOW_DECIDE)
    reason = _reason(reason, required=True, max_length=REASON_MAX, label="延期理由")
    today = timezone.localdate()
    with transaction.atomic():
        application = lock(application)
        if application.state not in (State.ACCEPTED, State.SUSPENDED):
            raise Conflict("extension_not_allowed", "只有已受理、尚未作出决定的申请才能延长期限。")
        if application.clock_stops.filter(kind=ClockStop.Kind.EXTENSION).exists():
            raise Conflict("already_extended", "依照《行政许可法》第四十二条,办理期限只能延长一次。")
        if application.statutory_due is not None and today > application.statutory_due:
            raise Conflict("deadline_passed", "法定期限已过,不能再延长。")
        stop = ClockStop.objects.create(
            application=application,
            kind=ClockStop.Kind.EXTENSION,
            reason=reason,
            started_on=today,
            ended_on=today,
            extension_days=EXTENSION_DAYS,
            created_by=actor,
        )
        updates = {
            key: value for key, value in recompute_dues(application, today=today).items() if key != "promised_due"
        }
        if (
            Application.objects.filter(pk=application.pk, state=application.state).update(
                **updates, updated_at=timezone.now()
            )
            != 1
        ):
            raise StaleState()
        for name, value in updates.items():
            setattr(application, name, value)
        due = updates.get("statutory_due")
        event_add(
            application,
            action="extend",
            actor=actor,
            text=f"经负责人批准延长办理期限 {EXTENSION_DAYS} 个工作日"
            + (f"至{due:%Y年%m月%d日}" if due else "")
            + f":{reason}。",
            data={"stop": stop.pk, "statutory_due": due.isoformat() if due else None},
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=application,
            detail={"extension": EXTENSION_DAYS, "reason": reason},
        )
        notify_applicant(
            application,
            f"{application.org_name}的申请办理期限依法延长{EXTENSION_DAYS}个工作日"
            + (f"至{due:%Y年%m月%d日}" if due else "")
            + f",理由:{reason}",
            key="extended",
        )
    return stop


def application_approve(
    *,
    actor: User,
    application: Application,
    reason: str = "",
    issue: bool = True,
) -> Application:
    """accepted → approved (准予登记). For establishment and renewal the
    certificate is issued in the same transaction (approved → issued), so the
    applicant can leave with it the same day; a failure to issue leaves
    nothing half done. A signed commitment gets its verification due date."""
    require(actor, Capability.WINDOW_DECIDE)
    reason = _reason(reason, required=False, max_length=DECISION_REASON_MAX, label="决定理由")
    with transaction.atomic():
        application = lock(application)
        now = timezone.now()
        transition(
            application,
            action=Action.APPROVE,
            actor=actor,
            text=f"准予登记{':' + reason if reason else ''}。",
            data={"reason": reason},
            updates={"decided_at": now, "decision_reason": reason},
        )
        commitment_schedule_verification(application=application, approved_on=timezone.localdate(now))
        if issue and application.service.kind in ISSUING_KINDS:
            certificate_issue(actor=actor, application=application)
            application = lock(application)
        else:
            notify_applicant(application, f"{application.org_name}的申请已准予登记。", key="approved")
    return application


def application_refuse(*, actor: User, application: Application, reason: str) -> Application:
    """accepted → refused (不予登记) with reasons and the remedies (Art. 38)."""
    require(actor, Capability.WINDOW_DECIDE)
    reason = _reason(reason, required=True, max_length=DECISION_REASON_MAX, label="不予登记的理由")
    with transaction.atomic():
        application = lock(application)
        transition(
            application,
            action=Action.REFUSE,
            actor=actor,
            text=f"不予登记。理由:{reason}。申请人如不服,可依法申请行政复议或者提起行政诉讼。",
            data={"reason": reason},
            updates={"decided_at": timezone.now(), "decision_reason": reason},
        )
        notify_applicant(
            application,
            f"{application.org_name}的申请经审查不予登记,理由:{reason}。如不服,可依法申请行政复议或者提起行政诉讼。",
            key="refused",
        )
    return application


VOID_REASON_MAX = 500


def application_void(*, actor: User, application: Application, reason: str) -> Application:
    """submitted → voided (作废) by window staff, with a reason: a request that
    was not the organisation's own (e.g. a renewal by mail filed by someone
    else, ADR 0028) stops here, before acceptance. A voided application is not
    open, so the organisation may file a new one. The applicant is told."""
    require(actor, Capability.WINDOW_WORK)
    reason = _reason(reason, required=True, max_length=VOID_REASON_MAX, label="作废的理由")
    with transaction.atomic():
        application = lock(application)
        transition(
            application,
            action=Action.VOID,
            actor=actor,
            text=f"申请已由窗口作废。理由:{reason}。",
            data={"reason": reason},
            updates={"decision_reason": reason},
        )
        notify_applicant(
            application,
            f"{application.org_name}的申请已由登记窗口作废,理由:{reason}。如有疑问请联系登记窗口。",
            key="voided",
        )
    return application
