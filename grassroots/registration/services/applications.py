"""Applications (申请): filed online by the applicant or at the window by staff
on the applicant's behalf (帮办); materials uploaded per requirement;
submission, resubmission after a return (补正) and withdrawal.

Every action records who acted and for whom (`ApplicationEvent.actor`,
`actor_label`, `on_behalf_of`). Window staff filling in for an applicant act
with `actor=<staff user>` (`assisted=True`); an applicant online acts with
`actor=None`. An agent — someone acting for the applicant who is neither the
applicant nor window staff (the application names an `agent_name`, or the
call says it acts for someone else) — must upload an authorisation letter
(授权委托书) before anything else.

Review, return and acceptance are in `review.py`; suspensions, extensions and
decisions in `decisions.py`; both are re-exported here, so that
`services.applications` is the one entry point of the contract.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.accounts.roles import Capability
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.notifications.services import notify_user
from grassroots.core.workdays import CalendarNotCovered

from ..models import (
    Application,
    ApplicationMaterial,
    Appointment,
    Commitment,
    MaterialRequirement,
    Organisation,
    Service,
)
from ..selectors_applications import EXTRA_AUTHORISATION, UPLOADABLE_EXTRAS, is_commitment_requirement
from ..states import Action, allowed
from .application_form import ApplicationInput, clean_input
from .clock import REVIEW_DAYS, review_due_after
from .decisions import (
    application_approve,
    application_refuse,
    clock_extend,
    clock_resume,
    clock_suspend,
)
from .materials import check_editable, check_one, missing_names, require_letter, store
from .review import Verdict, acceptance_notice_pdf, application_accept, application_return, application_review
from .workflow import (
    RegistrationError,
    StaleState,
    TransitionNotAllowed,
    behalf_of,
    event_add,
    format_tracking_code,
    is_window_staff,
    lock,
    new_tracking_code,
    notify_applicant,
    require,
    transition,
    window_staff,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = [
    "ApplicationInput",
    "Verdict",
    "acceptance_notice_pdf",
    "application_accept",
    "application_approve",
    "application_create",
    "application_refuse",
    "application_resubmit",
    "application_return",
    "application_review",
    "application_submit",
    "application_update",
    "application_withdraw",
    "clock_extend",
    "clock_resume",
    "clock_suspend",
    "material_upload",
]

CREATE_ATTEMPTS = 5
WITHDRAW_REASON_MAX = 200


def application_create(
    *,
    service: Service,
    data: ApplicationInput,
    actor: Any = None,
    on_behalf_of: str = "",
    appointment: Appointment | None = None,
    organisation: Organisation | None = None,
    request: HttpRequest | None = None,
) -> Application:
    """A draft application with an unguessable tracking code. Online by the
    applicant (`actor=None`) or at the window by staff (帮办: `actor` needs
    WINDOW_WORK; `assisted`, on behalf of the applicant), optionally from an
    appointment."""
    staff = actor is not None
    if staff:
        require(actor, Capability.WINDOW_WORK)
    elif not service.online:
        raise RegistrationError("service_not_online", f"“{service.name}”不能网上申请,请预约到窗口办理。")
    fields = clean_input(service, data)
    with transaction.atomic():
        for _attempt in range(CREATE_ATTEMPTS):
            try:
                with transaction.atomic():
                    application = Application.objects.create(
                        service=service,
                        tracking_code=new_tracking_code(),
                        assisted=staff,
                        appointment=appointment,
                        organisation=organisation,
                        created_by=actor if staff else None,
                        **fields,
                    )
                break
            except IntegrityError:
                continue  # a tracking-code collision (2**-60): draw again
        else:  # pragma: no cover - practically unreachable
            raise RegistrationError("tracking_code_busy", "查询码生成冲突,请重试。")
        how = "窗口帮办" if staff else "网上申请"
        event_add(
            application,
            action="create",
            actor=actor,
            on_behalf_of=on_behalf_of,
            text=f"{how}:{service.name}({application.org_name})。",
            data={"appointment": appointment.pk if appointment else None, "assisted": staff},
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor if staff else None,
            request=request,
            obj=application,
            detail={
                "service": service.code,
                "assisted": staff,
                "on_behalf_of": behalf_of(application, actor=actor, on_behalf_of=on_behalf_of),
            },
        )
    return application


def application_update(
    *,
    application: Application,
    data: ApplicationInput,
    actor: Any = None,
    on_behalf_of: str = "",
    request: HttpRequest | None = None,
) -> Application:
    """Correct the form while it is a draft or returned for correction."""
    with transaction.atomic():
        application = lock(application)
        check_editable(application, actor=actor)
        fields = clean_input(application.service, data)
        if (
            Commitment.objects.filter(application=application)
            .exclude(status=Commitment.Status.PENDING_SIGNATURE)
            .exists()
        ):
            fields["answers"]["funds_proof"] = "commitment"  # a signed commitment stays the funds proof
        changed = sorted(name for name, value in fields.items() if getattr(application, name) != value)
        updated = Application.objects.filter(pk=application.pk, state=application.state).update(
            **fields, updated_at=timezone.now()
        )
        if updated != 1:
            raise StaleState()
        application.refresh_from_db()
        event_add(
            application,
            action="update",
            actor=actor,
            on_behalf_of=on_behalf_of,
            text="修改了申请表。",
            data={"fields": [name for name in changed if name not in ("applicant_phone", "applicant_id_number")]},
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor if is_window_staff(actor) else None,
            request=request,
            obj=application,
            detail={"fields": changed},
        )
    return application


def material_upload(
    *,
    application: Application,
    file: UploadedFile,
    requirement: MaterialRequirement | None = None,
    extra_kind: str = "",
    actor: Any = None,
    on_behalf_of: str = "",
    authorisation_letter: UploadedFile | None = None,
    request: HttpRequest | None = None,
) -> ApplicationMaterial:
    """Upload one file for a requirement of the service, or an extra material
    (`extra_kind`: authorisation, other). Photos and PDFs only,
    checked by content, sha256 stored. Only while the application is a draft
    or returned for correction. An agent passes the authorisation letter
    along (`authorisation_letter`) unless it is already on file."""
    if (requirement is None) == (not extra_kind):
        raise RegistrationError("material_kind_required", "请选择材料项目。", field="requirement")
    if extra_kind and extra_kind not in UPLOADABLE_EXTRAS:
        raise RegistrationError("extra_kind_invalid", "材料类别无效。", field="extra_kind")
    checked = check_one(file, field_name="file")
    letter = check_one(authorisation_letter, field_name="authorisation_letter") if authorisation_letter else None
    with transaction.atomic():
        application = lock(application)
        check_editable(application, actor=actor)
        if requirement is not None and requirement.service_id != application.service_id:
            raise RegistrationError("requirement_invalid", "该材料不属于本申请事项。", field="requirement")
        if requirement is not None and is_commitment_requirement(requirement):
            raise RegistrationError(
                "use_commitment_sign", "告知承诺书请先生成、打印签字,再在“告知承诺”处上传签字版。", field="requirement"
            )
        if letter is not None:
            store(
                application=application,
                checked=letter,
                requirement=None,
                extra_kind=EXTRA_AUTHORISATION,
                actor=actor,
                on_behalf_of=on_behalf_of,
            )
        if extra_kind != EXTRA_AUTHORISATION:
            require_letter(application, actor=actor, on_behalf_of=on_behalf_of)
        material = store(
            application=application,
            checked=checked,
            requirement=requirement,
            extra_kind=extra_kind,
            actor=actor,
            on_behalf_of=on_behalf_of,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor if is_window_staff(actor) else None,
            request=request,
            obj=material,
            detail={"application": application.pk, "sha256": material.sha256, "size": material.size},
        )
    return material


def _review_due(received_on: datetime.date) -> datetime.date | None:
    try:
        return review_due_after(received_on=received_on)
    except CalendarNotCovered:
        return None  # shown on the page as "cannot be computed"; submission must not fail for it


def _notify_staff_submitted(application: Application, *, resubmitted: bool, round_: int) -> None:
    from django.urls import reverse

    link = reverse("registration:app-detail", kwargs={"pk": application.pk})
    what = "补正后重新提交" if resubmitted else "提交了申请"
    for user in window_staff():
        notify_user(
            user,
            f"待初审:{application.org_name}",
            f"{application.applicant_name}{what}({application.service.name}),请在5个工作日内完成初审。",
            link,
            dedupe_key=f"reg-app-{application.pk}-submitted-{round_}-{user.pk}",
        )


class MaterialsMissing(RegistrationError):
    """Submitting while materials are missing, without saying so. The
    authority must receive an incomplete application and list every gap
    once (《行政许可法》第三十二条), so it is not refused; the applicant
    confirms knowingly (`confirm_incomplete`) or completes it first."""

    status = 409

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            "materials_missing",
            f"以下材料还没有上传:{'、'.join(missing)}。可以先补齐再提交;确认仍要提交的,请勾选“缺少材料,仍要提交”,"
            "窗口将在初审时一次性告知需要补正的全部材料。",
            field="confirm_incomplete",
        )
        self.missing = missing
        self.extra = {"missing": missing}


def application_submit(
    *,
    application: Application,
    actor: Any = None,
    on_behalf_of: str = "",
    confirm_incomplete: bool = False,
    request: HttpRequest | None = None,
) -> Application:
    """draft → submitted: the Art. 32 clock of 5 working days starts. With
    materials missing only when `confirm_incomplete` (MaterialsMissing)."""
    return _submit(
        application=application,
        action=Action.SUBMIT,
        actor=actor,
        on_behalf_of=on_behalf_of,
        confirm_incomplete=confirm_incomplete,
        request=request,
    )


def application_resubmit(
    *,
    application: Application,
    actor: Any = None,
    on_behalf_of: str = "",
    confirm_incomplete: bool = False,
    request: HttpRequest | None = None,
) -> Application:
    """returned → submitted with the corrected materials: the case resumes
    and a new 5-working-day review clock starts. New files have superseded
    the old ones; the old verdicts stay in the history. Items still missing
    need `confirm_incomplete`, as on the first submission."""
    return _submit(
        application=application,
        action=Action.RESUBMIT,
        actor=actor,
        on_behalf_of=on_behalf_of,
        confirm_incomplete=confirm_incomplete,
        request=request,
    )


def _submit(
    *,
    application: Application,
    action: str,
    actor: Any,
    on_behalf_of: str,
    confirm_incomplete: bool,
    request: HttpRequest | None,
) -> Application:
    if actor is not None:
        require(actor, Capability.WINDOW_WORK)
    with transaction.atomic():
        application = lock(application)
        require_letter(application, actor=actor, on_behalf_of=on_behalf_of)
        if not allowed(action, application.state):
            raise TransitionNotAllowed(action, application.state)  # before the materials: a state error comes first
        missing = missing_names(application)
        if missing and not confirm_incomplete:
            raise MaterialsMissing(missing)
        now = timezone.now()
        today = timezone.localdate()
        review_due = _review_due(today)
        updates: dict[str, Any] = {"submitted_at": now, "review_due": review_due}
        if application.first_submitted_at is None:
            updates["first_submitted_at"] = now
        resubmitted = action == Action.RESUBMIT
        transition(
            application,
            action=action,
            actor=actor,
            on_behalf_of=on_behalf_of,
            text=(
                f"{'补正材料后重新提交' if resubmitted else '提交申请'}"
                + (f"(申请人已知并确认缺少:{'、'.join(missing)})" if missing else "")
                + f",窗口将在{REVIEW_DAYS}个工作日内完成初审"
                + (f"({review_due:%Y年%m月%d日}前)。" if review_due else "。")
            ),
            data={"review_due": review_due.isoformat() if review_due else None, "missing": missing},
            updates=updates,
            request=request,
        )
        # The n-th submission of this application (dedupe keys of its messages).
        round_ = application.events.filter(action__in=(Action.SUBMIT, Action.RESUBMIT)).count()
        if not application.service.no_visit:  # renewal by mail sends its own message
            notify_applicant(
                application,
                f"{application.org_name}的申请已{'重新' if resubmitted else ''}提交,"
                f"查询码 {format_tracking_code(application.tracking_code)}。"
                f"我们将在{REVIEW_DAYS}个工作日内完成初审并短信告知。",
                key=f"submitted-{round_}",
            )
        if actor is None:
            _notify_staff_submitted(application, resubmitted=resubmitted, round_=round_)
    return application


def application_withdraw(
    *,
    application: Application,
    actor: Any = None,
    on_behalf_of: str = "",
    reason: str = "",
    request: HttpRequest | None = None,
) -> Application:
    """The applicant withdraws (撤回) before a decision; staff may record it."""
    if actor is not None:
        require(actor, Capability.WINDOW_WORK)
    reason = (reason or "").strip()[:WITHDRAW_REASON_MAX]
    with transaction.atomic():
        application = lock(application)
        require_letter(application, actor=actor, on_behalf_of=on_behalf_of)
        transition(
            application,
            action=Action.WITHDRAW,
            actor=actor,
            on_behalf_of=on_behalf_of,
            text=f"撤回申请{':' + reason if reason else ''}。",
            data={"reason": reason},
            request=request,
        )
        notify_applicant(application, f"{application.org_name}的申请已撤回。", key="withdrawn")
    return application
