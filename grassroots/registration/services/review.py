"""Preliminary review (初审), return for correction (补正) and acceptance (受理).

《行政许可法》第32条: when materials are incomplete or not in the required
form, the applicant is told once and completely — on the spot or within five
days — what must be corrected; if not, the application counts as accepted
from the day the materials were received. So:
- the reviewer gives a verdict per material (符合 / 缺少 / 不符合要求 + reason);
- a return lists *every* missing or wrong item with its reason in one notice
  (补正告知书, PDF), including requirements nobody uploaded anything for;
- a material judged compliant in an earlier round cannot be objected to in a
  later one (one notice, not a drip of new demands);
- a return after the 5 working days is recorded as late
  (`ReturnNotice.within_statutory_period = False`), and an acceptance after
  them is dated back to the day the materials were received.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Capability
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import Conflict
from grassroots.core.workdays import CalendarNotCovered, WorkCalendar
from grassroots.core.workflow import Workflow

from ..errors import RegistrationError, TransitionNotAllowed
from ..models import Application, ApplicationMaterial, MaterialStatus, ReturnNotice
from ..selectors.applications import (
    EXTRA_AUTHORISATION,
    Checklist,
    ChecklistItem,
    application_checklist,
    last_review_verdicts,
)
from ..states import MATERIAL_TABLE, VERDICT_ACTIONS, Action, State, allowed
from .clock import decision_dues
from .workflow import (
    ACCEPTANCE_PREFIX,
    RETURN_NOTICE_PREFIX,
    allocate_number,
    event_add,
    format_tracking_code,
    lock,
    notify_applicant,
    require,
    transition,
)

REASON_MAX = 200
VERDICTS = (MaterialStatus.OK, MaterialStatus.MISSING, MaterialStatus.WRONG)
MISSING_DEFAULT = "未提交该材料。"
TRAILING_PUNCTUATION = re.compile(r"[。;;,,.]+$")
REPLACEABLE_HINT = "可签署告知承诺书,或提交银行存款凭证替代验资报告。"


@dataclass(frozen=True)
class Verdict:
    """One reviewer's verdict: on an uploaded material (`material_id`), on a
    requirement (`requirement_id`: its current file, or — nothing uploaded —
    the requirement itself), or on a missing authorisation letter
    (`extra_kind="authorisation"`)."""

    status: str
    reason: str = ""
    material_id: int | None = None
    requirement_id: int | None = None
    extra_kind: str = ""


MATERIAL_WORKFLOW: Workflow[ApplicationMaterial] = Workflow(
    model=ApplicationMaterial,
    table=MATERIAL_TABLE,
    not_allowed=lambda action, state: Conflict(
        "material_not_reviewable", f"该材料当前为“{MaterialStatus(state).label}”,不能作出审查结论。"
    ),
    stale=lambda: Conflict("material_changed", "该材料刚刚被他人处理,请刷新后重试。"),
    state_field="status",
    timestamp_field=None,
)


def _check_state(application: Application, action: str) -> None:
    if not allowed(action, application.state):
        raise TransitionNotAllowed(action, application.state)


def _clean_verdict(verdict: Verdict) -> tuple[str, str]:
    if verdict.status not in VERDICTS:
        raise RegistrationError("verdict_invalid", "审查结论只能是“符合”“缺少”或“不符合要求”。", field="verdicts")
    reason = (verdict.reason or "").strip()
    if verdict.status != MaterialStatus.OK and not reason:
        raise RegistrationError(
            "reason_required", "认定“缺少”或“不符合要求”时,必须写明理由,以便一次性告知申请人。", field="verdicts"
        )
    if len(reason) > REASON_MAX:
        raise RegistrationError("reason_too_long", f"审查意见不能超过{REASON_MAX}个字。", field="verdicts")
    return str(verdict.status), reason


def _already_cleared(application: Application, material: ApplicationMaterial) -> bool:
    """Judged compliant in a round that ended with a return notice: uploaded
    before the last return and still marked compliant."""
    if material.status != MaterialStatus.OK:
        return False
    events = list(application.events.filter(action__in=("upload", "return")).order_by("id"))
    last_return = next((e.pk for e in reversed(events) if e.action == "return"), None)
    uploaded = next((e.pk for e in events if e.action == "upload" and e.data.get("material") == material.pk), None)
    return last_return is not None and uploaded is not None and uploaded < last_return


def application_review(*, actor: User, application: Application, verdicts: Sequence[Verdict]) -> Checklist:
    """Record verdicts on the submitted materials (may be called several
    times before the return or the acceptance). Returns the new checklist."""
    require(actor, Capability.WINDOW_WORK)
    if not verdicts:
        raise RegistrationError("verdicts_required", "请至少对一项材料作出审查结论。", field="verdicts")
    with transaction.atomic():
        application = lock(application)
        if application.state != State.SUBMITTED:
            raise Conflict("not_under_review", "只有已提交待初审的申请才能审查材料。")
        checklist = application_checklist(application)
        items = {item.key: item for item in checklist.all_items}
        current = {m.pk: m for m in application.materials.filter(superseded=False)}
        material_updates: dict[int, tuple[str, str]] = {}
        requirement_verdicts = dict(last_review_verdicts(application))
        for verdict in verdicts:
            status, reason = _clean_verdict(verdict)
            material: ApplicationMaterial | None = None
            if verdict.material_id is not None:
                material = current.get(verdict.material_id)
                if material is None:
                    raise RegistrationError(
                        "material_not_found", "该材料不存在或已被新上传的文件替换。", field="verdicts"
                    )
            elif verdict.requirement_id is not None:
                item = items.get(f"r{verdict.requirement_id}")
                if item is None:
                    raise RegistrationError(
                        "requirement_not_in_case", "该材料不在本申请的材料清单中。", field="verdicts"
                    )
                if item.status == MaterialStatus.REPLACED:
                    raise RegistrationError(
                        "requirement_replaced", f"“{item.name}”已以告知承诺替代,无需审查。", field="verdicts"
                    )
                material = item.material
                if material is None:
                    if status == MaterialStatus.OK:
                        raise RegistrationError(
                            "absent_cannot_be_ok", f"“{item.name}”尚未上传,不能认定为符合要求。", field="verdicts"
                        )
                    requirement_verdicts[str(verdict.requirement_id)] = {
                        "status": MaterialStatus.MISSING,
                        "reason": reason,
                        "name": item.name,
                    }
                    continue
            elif verdict.extra_kind == EXTRA_AUTHORISATION and EXTRA_AUTHORISATION in items:
                if status == MaterialStatus.OK:
                    raise RegistrationError(
                        "absent_cannot_be_ok", "授权委托书尚未上传,不能认定为符合要求。", field="verdicts"
                    )
                requirement_verdicts[EXTRA_AUTHORISATION] = {
                    "status": MaterialStatus.MISSING,
                    "reason": reason,
                    "name": "授权委托书",
                }
                continue
            else:
                raise RegistrationError("verdict_target_required", "请指明审查的材料。", field="verdicts")
            if status != MaterialStatus.OK and _already_cleared(application, material):
                raise RegistrationError(
                    "already_cleared",
                    f"“{material.original_name}”上一轮初审已认定符合要求;依照一次性告知原则,不能再次要求补正。",
                    field="verdicts",
                )
            material_updates[material.pk] = (status, reason)
        for pk, (status, reason) in material_updates.items():
            MATERIAL_WORKFLOW.transition(
                current[pk], action=VERDICT_ACTIONS[status], actor=actor, updates={"review_reason": reason}
            )
        event_add(
            application,
            action="review",
            actor=actor,
            text=f"初审:对 {len(material_updates) + len(requirement_verdicts)} 项材料作出结论。",
            data={
                "materials": {str(pk): {"status": s, "reason": r} for pk, (s, r) in material_updates.items()},
                "requirements": requirement_verdicts,
            },
            public=False,
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=application,
            detail={"review": {str(pk): s for pk, (s, _r) in material_updates.items()}},
        )
        return application_checklist(Application.objects.get(pk=application.pk))


def _pending_error(pending: list[ChecklistItem]) -> RegistrationError:
    names = "、".join(item.name for item in pending)
    return RegistrationError("review_incomplete", f"以下材料尚未审查:{names}。请先逐项作出结论。", field="verdicts")


def notice_items(checklist: Checklist) -> list[dict[str, Any]]:
    """Every missing or wrong item with its reason, for the one notice."""
    items = []
    for item in checklist.problems:
        problem = "wrong" if item.status == MaterialStatus.WRONG else "missing"
        reason = item.reason or MISSING_DEFAULT
        if item.replaceable and problem == "missing":
            reason = f"{TRAILING_PUNCTUATION.sub('', reason)}。{REPLACEABLE_HINT}"
        items.append(
            {
                "requirement": item.requirement.pk if item.requirement else None,
                "name": item.name,
                "problem": problem,
                "problem_label": "不符合要求" if problem == "wrong" else "缺少",
                "reason": reason,
                "legal_basis": item.requirement.legal_basis if item.requirement else "",
            }
        )
    return items


def application_return(*, actor: User, application: Application) -> ReturnNotice:
    """submitted → returned with one notice listing every missing or wrong
    item and its reason (补正告知书, Art. 32)."""
    require(actor, Capability.WINDOW_WORK)
    with transaction.atomic():
        application = lock(application)
        _check_state(application, Action.RETURN)
        checklist = application_checklist(application)
        if checklist.pending:
            raise _pending_error(checklist.pending)
        items = notice_items(checklist)
        if not items:
            raise RegistrationError("nothing_to_correct", "材料齐全且符合要求,无需补正,请直接受理。")
        today = timezone.localdate()
        within = application.review_due is None or today <= application.review_due
        holder: dict[str, ReturnNotice] = {}

        def save(number: str) -> None:
            holder["notice"] = ReturnNotice.objects.create(
                application=application, number=number, items=items, issued_by=actor, within_statutory_period=within
            )

        number = allocate_number(
            model=ReturnNotice, field_name="number", prefix=RETURN_NOTICE_PREFIX, day=today, save=save
        )
        notice = holder["notice"]
        lines = ";".join(
            f"{i + 1}. {item['name']}({item['problem_label']}):{item['reason']}" for i, item in enumerate(items)
        )
        transition(
            application,
            action=Action.RETURN,
            actor=actor,
            text=f"退回补正(补正告知书 {number}),共 {len(items)} 项:{lines}"
            + ("" if within else " 注意:已超过5个工作日的初审期限。"),
            data={"notice": notice.pk, "number": number, "items": len(items), "within_statutory_period": within},
        )
        notify_applicant(
            application,
            f"{application.org_name}的申请需补正 {len(items)} 项材料,详见补正告知书 {number}。"
            f"请凭查询码 {format_tracking_code(application.tracking_code)} 补正后重新提交。",
            key=f"returned-{notice.pk}",
        )
    return notice


def application_accept(*, actor: User, application: Application) -> Application:
    """submitted → accepted: the acceptance number (受理编号) and the statutory
    and promised due dates in working days from acceptance. Complete and
    compliant materials are required — unless the 5 working days of review
    passed without a notice, in which case the law has already accepted the
    application as of the day the materials were received (Art. 32)."""
    require(actor, Capability.WINDOW_WORK)
    with transaction.atomic():
        application = lock(application)
        _check_state(application, Action.ACCEPT)
        today = timezone.localdate()
        received_on = timezone.localdate(application.submitted_at) if application.submitted_at else today
        deemed = application.review_due is not None and today > application.review_due
        if not deemed:
            checklist = application_checklist(application)
            if checklist.pending:
                raise _pending_error(checklist.pending)
            if not checklist.complete:
                names = "、".join(item.name for item in checklist.problems)
                raise RegistrationError(
                    "materials_incomplete", f"材料不齐全或不符合要求({names}),不能受理,请退回补正。"
                )
        accepted_on = received_on if deemed else today
        service = application.service
        statutory_due: datetime.date | None = None
        promised_due: datetime.date | None = None
        provisional = False
        due_note = ""
        try:
            statutory, promised = decision_dues(
                accepted_on=accepted_on,
                statutory_days=service.statutory_days,
                promised_days=service.promised_days,
                stops=[],
                today=today,
                calendar=WorkCalendar(),
            )
            statutory_due, promised_due = statutory.due, promised.due
            provisional = statutory.provisional or promised.provisional
        except CalendarNotCovered as exc:
            provisional = True
            due_note = f" {exc.message}"

        number = allocate_number(
            model=Application,
            field_name="number",
            prefix=ACCEPTANCE_PREFIX,
            day=today,
            save=lambda n: Application.objects.filter(pk=application.pk, number__isnull=True).update(number=n),
        )
        if deemed:
            how = (
                f"初审期限({application.review_due:%Y年%m月%d日})内未告知补正,"
                f"依《行政许可法》第三十二条自收到材料之日({received_on:%Y年%m月%d日})起视为受理"
            )
        else:
            how = "材料齐全、符合法定形式,予以受理"
        dues = (
            f"法定办理期限 {statutory_due:%Y年%m月%d日}({service.statutory_days} 个工作日),"
            f"承诺期限 {promised_due:%Y年%m月%d日}({service.promised_days} 个工作日)"
            if statutory_due and promised_due
            else "办理期限暂无法计算"
        )
        transition(
            application,
            action=Action.ACCEPT,
            actor=actor,
            text=f"{how}。受理编号 {number};{dues}。{due_note}".strip(),
            data={
                "number": number,
                "deemed": deemed,
                "accepted_on": accepted_on.isoformat(),
                "statutory_due": statutory_due.isoformat() if statutory_due else None,
                "promised_due": promised_due.isoformat() if promised_due else None,
            },
            updates={
                "number": number,
                "accepted_on": accepted_on,
                "statutory_due": statutory_due,
                "promised_due": promised_due,
                "due_provisional": provisional,
            },
        )
        notify_applicant(
            application,
            f"{application.org_name}的申请已受理,受理编号 {number}"
            + (f",承诺于{promised_due:%Y年%m月%d日}前办结。" if promised_due else "。"),
            key="accepted",
        )
    return application
