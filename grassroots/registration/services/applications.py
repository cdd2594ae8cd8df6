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

from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor, as_user
from grassroots.accounts.roles import Capability
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record

from ..errors import RegistrationError, StaleState
from ..models import (
    Application,
    ApplicationMaterial,
    Appointment,
    Commitment,
    MaterialRequirement,
    Organisation,
    Service,
)
from ..selectors.applications import (
    EXTRA_AUTHORISATION,
    EXTRA_BANK_VOUCHER,
    UPLOADABLE_EXTRAS,
    application_checklist,
    is_commitment_requirement,
)
from ..states import Action
from .application_form import ApplicationInput, clean_input
from .decisions import (
    application_approve,
    application_refuse,
    clock_extend,
    clock_resume,
    clock_suspend,
)
from .materials import check_editable, check_one, require_letter, store
from .review import Verdict, application_accept, application_return, application_review
from .review_documents import acceptance_notice_pdf
from .submission import MaterialsMissing, application_resubmit, application_submit
from .workflow import (
    behalf_of,
    event_add,
    is_window_staff,
    lock,
    new_tracking_code,
    notify_applicant,
    require,
    transition,
)

if TYPE_CHECKING:
    pass

__all__ = [
    "ApplicationInput",
    "MaterialsMissing",
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
    actor: Actor = None,
    on_behalf_of: str = "",
    appointment: Appointment | None = None,
    organisation: Organisation | None = None,
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
                        created_by=as_user(actor) if staff else None,
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
    actor: Actor = None,
    on_behalf_of: str = "",
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
    actor: Actor = None,
    on_behalf_of: str = "",
    authorisation_letter: UploadedFile | None = None,
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
    if extra_kind == EXTRA_BANK_VOUCHER and not application_checklist(application).funds_by_commitment:
        raise RegistrationError(
            "bank_voucher_not_commitment",
            "本申请没有选择告知承诺;银行存款凭证请在材料清单中的“银行存款凭证”一项上传,或改为告知承诺。",
            field="extra_kind",
        )
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
            obj=material,
            detail={"application": application.pk, "sha256": material.sha256, "size": material.size},
        )
    return material


def application_withdraw(
    *,
    application: Application,
    actor: Actor = None,
    on_behalf_of: str = "",
    reason: str = "",
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
        )
        notify_applicant(application, f"{application.org_name}的申请已撤回。", key="withdrawn")
    return application
