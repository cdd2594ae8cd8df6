"""The hazard rectification loop (隐患整改闭环) on the workflow engine:
raise a hazard from a failed item of an inspection, issue the rectification
notice (a number and a deadline in working days), record the rectification
with an evidence photo, re-inspect (pass: closed; fail: back to
rectification with a new deadline), refer to enforcement with a record; the
daily job escalates overdue hazards to the staff responsible above."""

from __future__ import annotations

import datetime
import uuid
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability
from grassroots.core.actors import SYSTEM, user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.notifications.services import notify_user
from grassroots.core.scoping import require_in_scope
from grassroots.core.sequences import sequence_next
from grassroots.core.workdays import deadline_after
from grassroots.core.workflow import Workflow, event_row
from grassroots.regions.models import Node

from ..errors import SafetyConflict, SafetyError
from ..models import Hazard, HazardEvent, HazardLevel, Inspection, Result
from ..permissions import require_hazard_action
from ..states import HAZARD_TABLE, HazardAction, HazardActivity, HazardState
from .inspections import PHOTO_TYPES, photos_checked
from .matter_progress import matter_tell, told_within

MIN_DAYS, MAX_DAYS = 1, 60
MAX_TEXT = 500

LABELS = {**dict(HazardAction.choices), **dict(HazardActivity.choices)}


def _not_allowed(action: str, state: str) -> SafetyConflict:
    return SafetyConflict("transition_not_allowed", f"隐患当前为“{HazardState(state).label}”,不能{LABELS[action]}。")


WORKFLOW: Workflow[Hazard] = Workflow(
    model=Hazard,
    table=HAZARD_TABLE,
    not_allowed=_not_allowed,
    stale=lambda: SafetyConflict("stale_state", "隐患状态已被他人改变,请刷新后重试。"),
    audit_detail=lambda hazard: {"hazard": hazard.description, "premises": hazard.premises_id},
)


def _transition(
    *,
    actor: Actor,
    hazard: Hazard,
    action: str,
    updates: dict[str, Any] | None = None,
    text: str = "",
    data: Any = None,
) -> Hazard:
    """A hazard changes state only here."""
    return WORKFLOW.transition(
        hazard,
        action=action,
        actor=actor,
        permission=partial(require_hazard_action, actor, action, hazard),
        updates=updates,
        event=event_row(HazardEvent, "hazard", action=action, actor=actor, text=text, data=data or {}),
        # A hazard linked to a matter tells it each step (ADR 0039).
        within=told_within(action, actor),
    )


def _text(value: str, *, label: str, field: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise SafetyError(f"{field}_required", f"请填写{label}。", field=field)
    if len(value) > MAX_TEXT:
        raise SafetyError(f"{field}_too_long", f"{label}不能超过 {MAX_TEXT} 个字。", field=field)
    return value


def _days(days: int) -> int:
    if not MIN_DAYS <= int(days) <= MAX_DAYS:
        raise SafetyError("days_invalid", f"整改期限应为 {MIN_DAYS} 到 {MAX_DAYS} 个工作日。", field="days")
    return int(days)


def hazard_raise(*, actor: Actor, inspection: Inspection, item_id: int, level: str = HazardLevel.GENERAL) -> Hazard:
    """A hazard from a failed item of `inspection` (once per item)."""
    require_in_scope(actor, inspection)
    require_capability(actor, Capability.INSPECT_SAFETY, "您的角色不能登记隐患。")
    answer = inspection.answers.select_related("item").filter(item_id=item_id).first()
    if answer is None or answer.result != Result.FAIL:
        raise SafetyError("item_not_failed", "只有不合格的检查项才能登记为隐患。", field="item")
    if level not in HazardLevel.values:
        raise SafetyError("level_invalid", "请选择有效的隐患等级。", field="level")
    try:
        with transaction.atomic():
            hazard = Hazard.objects.create(
                premises=inspection.premises,
                inspection=inspection,
                item=answer.item,
                description=answer.note or answer.item.text,
                legal_basis=answer.item.legal_basis,
                level=level,
                created_by=user_or_none(actor),
            )
            HazardEvent.objects.create(hazard=hazard, action="raise", to_state=hazard.state, actor=user_or_none(actor))
            audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=hazard, detail={"level": level})
    except IntegrityError as exc:
        raise SafetyConflict("hazard_exists", "该检查项已登记为隐患。") from exc
    return hazard


def hazard_issue_notice(*, actor: Actor, hazard: Hazard, days: int, today: datetime.date | None = None) -> Hazard:
    """The rectification notice: its number and a deadline `days` working days on."""
    require_hazard_action(actor, HazardAction.ISSUE_NOTICE, hazard)
    WORKFLOW.check(HazardAction.ISSUE_NOTICE, hazard)
    days = _days(days)
    due = deadline_after(today or timezone.localdate(), days).due
    now = timezone.now()
    number = f"安整〔{now.year}〕{sequence_next(f'safety.notice.{now.year}'):04d}号"
    return _transition(
        actor=actor,
        hazard=hazard,
        action=HazardAction.ISSUE_NOTICE,
        updates={"deadline": due, "notice_number": number, "notice_issued_at": now},
        data={"days": days, "deadline": due.isoformat(), "number": number},
    )


def hazard_rectify(*, actor: Actor, hazard: Hazard, evidence: UploadedFile, note: str = "") -> Hazard:
    """The operator rectified: an evidence photo (checked by content) and a note."""
    require_hazard_action(actor, HazardAction.RECTIFY, hazard)
    WORKFLOW.check(HazardAction.RECTIFY, hazard)
    if evidence is None:
        raise SafetyError("evidence_required", "请上传整改后的现场照片。", field="evidence")
    try:
        (photo,) = photos_checked([evidence])
    except SafetyError as exc:
        raise SafetyError(exc.code, exc.message, field="evidence") from exc
    note = _text(note, label="整改情况", field="note", required=False)
    name = f"{uuid.uuid4().hex}.{PHOTO_TYPES[photo.content_type]}"

    def store(fresh: Hazard, _event: Any) -> None:
        fresh.evidence.save(name, photo.content, save=False)
        Hazard.objects.filter(pk=fresh.pk).update(evidence=fresh.evidence.name)
        matter_tell(hazard=fresh, step=HazardAction.RECTIFY, actor=actor)

    hazard = WORKFLOW.transition(
        hazard,
        action=HazardAction.RECTIFY,
        actor=actor,
        permission=partial(require_hazard_action, actor, HazardAction.RECTIFY, hazard),
        updates={"rectified_at": timezone.now()},
        event=event_row(
            HazardEvent, "hazard", action=HazardAction.RECTIFY, actor=actor, text=note, data={"sha256": photo.sha256}
        ),
        within=store,
    )
    hazard.refresh_from_db()
    return hazard


def hazard_reinspect(
    *, actor: Actor, hazard: Hazard, passed: bool, note: str = "", days: int = 5, today: datetime.date | None = None
) -> Hazard:
    """Re-inspection: passed closes (销号); not passed sends it back with a new deadline."""
    action = HazardAction.CLOSE if passed else HazardAction.REOPEN
    require_hazard_action(actor, action, hazard)
    WORKFLOW.check(action, hazard)
    note = _text(note, label="复查情况", field="note", required=not passed)
    if passed:
        return _transition(actor=actor, hazard=hazard, action=action, updates={"closed_at": timezone.now()}, text=note)
    due = deadline_after(today or timezone.localdate(), _days(days)).due
    return _transition(
        actor=actor,
        hazard=hazard,
        action=action,
        updates={"deadline": due, "rectified_at": None, "escalated_at": None},
        text=note,
        data={"deadline": due.isoformat()},
    )


def hazard_refer(*, actor: Actor, hazard: Hazard, record: str) -> Hazard:
    """Referral to enforcement (移交执法) with its record."""
    require_hazard_action(actor, HazardAction.REFER, hazard)
    WORKFLOW.check(HazardAction.REFER, hazard)
    record = _text(record, label="移交执法记录", field="record")
    return _transition(
        actor=actor, hazard=hazard, action=HazardAction.REFER, updates={"referral_record": record}, text=record
    )


def _responsible_above(hazard: Hazard) -> list[User]:
    """Staff who may refer the hazard, at the village and the subdistrict above it."""
    step = Node.steplen
    ancestors = [hazard.path[:end] for end in range(step, min(len(hazard.path), 2 * step) + 1, step)]
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.MANAGE_SAFETY in caps]
    return list(User.objects.filter(is_active=True, role__in=roles, jurisdiction__path__in=ancestors).order_by("id"))


def escalate_overdue(*, today: datetime.date | None = None) -> int:
    """Escalate each hazard past its deadline once (an activity: the state
    stays): an event, an audit row and a notification to the village and
    subdistrict staff responsible. Idempotent; the number escalated."""
    today = today or timezone.localdate()
    count = 0
    rows = Hazard.objects.filter(
        state=HazardState.NOTICE_ISSUED, deadline__lt=today, escalated_at__isnull=True
    ).select_related("premises")
    for hazard in rows.order_by("deadline", "id"):
        with transaction.atomic():
            if not Hazard.objects.filter(pk=hazard.pk, escalated_at__isnull=True).update(escalated_at=timezone.now()):
                continue
            days = (today - hazard.deadline).days if hazard.deadline else 0
            HazardEvent.objects.create(
                hazard=hazard,
                action=HazardActivity.ESCALATE,
                from_state=hazard.state,
                to_state=hazard.state,
                text=f"整改期限 {hazard.deadline} 已过 {days} 天,已逾期督办。",
            )
            audit_record(action="safety.escalate", actor=user_or_none(SYSTEM), obj=hazard, detail={"days": days})
            link = reverse("safety:hazard", args=[hazard.pk])
            for user in _responsible_above(hazard):
                transaction.on_commit(
                    partial(
                        notify_user,
                        user,
                        "隐患逾期未整改",
                        f"{hazard.premises.name}:{hazard.description}(整改期限 {hazard.deadline})",
                        link,
                        dedupe_key=f"safety-escalate-{hazard.pk}-{user.pk}",
                    )
                )
            count += 1
    return count
