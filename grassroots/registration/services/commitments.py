"""Notification and commitment (告知承诺制): instead of a capital-verification
report the applicant signs a written commitment (generated here, printed as a
PDF with signature and date lines); a bank deposit voucher proving the funds
goes with it as its own material kind (`EXTRA_BANK_VOUCHER`, 验资报告告知承诺制:
"以银行存款凭证替代验资报告"). After approval the
commitment is verified within `COMMITMENT_VERIFY_DAYS` working days; window
staff get an in-app follow-up when it is due (`commitments_follow_up`, a
daily celery beat task); a commitment found false revokes the registration
(`certificates.organisation_revoke`)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.accounts.roles import Capability
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.documents import render_pdf
from grassroots.core.errors import Conflict
from grassroots.core.models import Notification
from grassroots.core.notifications.services import notify_user
from grassroots.core.workdays import CalendarNotCovered, WorkCalendar
from grassroots.core.workflow import Workflow

from ..errors import RegistrationError
from ..models import Application, Authority, Commitment, MaterialRequirement, OrgType
from ..selectors.applications import commitments_due, replaceable_requirements
from ..states import COMMITMENT_TABLE, CommitmentAction, State
from .certificates import organisation_revoke
from .materials import check_editable, require_letter, signed_copy_store
from .workflow import event_add, format_tracking_code, lock, notify_applicant, require, window_staff

if TYPE_CHECKING:
    pass

# Working days after approval within which the commitment is verified.
COMMITMENT_VERIFY_DAYS = 20
NOTE_MAX = 2000
FUNDS_LABELS = {OrgType.SOCIAL_GROUP: "活动资金", OrgType.PNE: "开办资金", OrgType.FOUNDATION: "原始基金"}


def commitment_text(*, application: Application, replaces: list[MaterialRequirement]) -> str:
    authority = Authority.objects.order_by("id").first()
    funds_label = FUNDS_LABELS.get(OrgType(application.org_type), "开办资金")
    funds = f"人民币{application.funds:,.2f}元" if application.funds is not None else "申请书所载数额"
    names = "、".join(f"《{r.name}》" for r in replaces)
    return "\n".join(
        [
            f"{authority.name if authority else '登记管理机关'}:",
            f"本人{application.applicant_name}作为“{application.org_name}”{application.service.name}的申请人,"
            f"自愿适用告知承诺制,以本承诺书替代{names},并郑重承诺:",
            f"一、拟设立组织的{funds_label}{funds}已足额到位,来源合法,产权清晰,登记后不抽逃、不挪用。",
            "二、已知悉登记管理机关告知的登记条件和全部申请材料要求,所提交的材料真实、合法、有效,复印件与原件一致。",
            f"三、同意登记管理机关在准予登记后{COMMITMENT_VERIFY_DAYS}个工作日内对承诺内容进行核查,"
            "并按要求提供资金到位的证明材料。",
            "四、如承诺内容不实,愿意承担相应法律责任;登记管理机关可依法撤销登记,并将失信情况记入信用记录。",
        ]
    )


def commitment_create(*, actor: Actor, application: Application, on_behalf_of: str = "") -> Commitment:
    """Generate the commitment for signature (the applicant online with
    `actor=None`, or window staff on the applicant's behalf). An unsigned one
    is regenerated from the current form; a signed one stays."""
    with transaction.atomic():
        application = lock(application)
        check_editable(application, actor=actor)
        require_letter(application, actor=actor, on_behalf_of=on_behalf_of)
        replaces = replaceable_requirements(application)
        if not replaces:
            raise RegistrationError("nothing_replaceable", "本事项没有可以告知承诺替代的材料。")
        existing = Commitment.objects.filter(application=application).first()
        if existing is not None and existing.status != Commitment.Status.PENDING_SIGNATURE:
            raise Conflict("commitment_signed", "告知承诺书已签署,不能重新生成。")
        text = commitment_text(application=application, replaces=replaces)
        if existing is None:
            commitment = Commitment.objects.create(application=application, text=text)
        else:
            commitment = existing
            Commitment.objects.filter(pk=commitment.pk).update(text=text)
            commitment.text = text
        commitment.replaces.set(replaces)
        answers = {**(application.answers or {}), "funds_proof": "commitment"}
        Application.objects.filter(pk=application.pk).update(answers=answers, updated_at=timezone.now())
        event_add(
            application,
            action="commitment_create",
            actor=actor,
            on_behalf_of=on_behalf_of,
            text="生成告知承诺书,以承诺替代:" + "、".join(r.name for r in replaces) + "。",
            data={"commitment": commitment.pk, "replaces": [r.pk for r in replaces]},
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            obj=commitment,
            detail={"application": application.pk, "replaces": [r.code for r in replaces]},
        )
    return commitment


def commitment_context(*, commitment: Commitment) -> dict[str, Any]:
    application = commitment.application
    return {
        "commitment": commitment,
        "application": application,
        "paragraphs": commitment.text.split("\n"),
        "authority": Authority.objects.order_by("id").first(),
        "tracking_code": format_tracking_code(application.tracking_code),
        "verify_days": COMMITMENT_VERIFY_DAYS,
        "title": "告知承诺书",
        "doc_number": application.number or format_tracking_code(application.tracking_code),
    }


def commitment_pdf(*, commitment: Commitment) -> bytes:
    """The commitment for printing and signing (signature and date lines)."""
    return render_pdf(
        template_name="registration/documents/commitment.html", context=commitment_context(commitment=commitment)
    )


def _not_allowed(action: str, state: str) -> Conflict:
    if action == CommitmentAction.SIGN:
        return Conflict("commitment_signed", "告知承诺书已签署。")
    return Conflict("commitment_not_signed", "只有已签署、待核查的告知承诺书才能核查。")


COMMITMENT_WORKFLOW: Workflow[Commitment] = Workflow(
    model=Commitment,
    table=COMMITMENT_TABLE,
    not_allowed=_not_allowed,
    stale=lambda: Conflict("commitment_changed", "告知承诺书已被他人处理,请刷新后重试。"),
    state_field="status",
    timestamp_field=None,
)


def commitment_sign(
    *,
    actor: Actor,
    commitment: Commitment,
    signed_copy_file: UploadedFile,
    on_behalf_of: str = "",
) -> Commitment:
    """Upload the signed copy: the commitment now replaces the materials it
    names. While the application is a draft or returned for correction."""
    with transaction.atomic():
        application = lock(commitment.application)
        check_editable(application, actor=actor)
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        COMMITMENT_WORKFLOW.check(CommitmentAction.SIGN, commitment)
        material = signed_copy_store(
            application=application, file=signed_copy_file, actor=actor, on_behalf_of=on_behalf_of
        )
        COMMITMENT_WORKFLOW.transition(
            commitment,
            action=CommitmentAction.SIGN,
            actor=actor,
            updates={"signed_at": timezone.now(), "signed_copy": material},
            event=lambda fresh, source, target: event_add(
                application,
                action="commitment_sign",
                actor=actor,
                on_behalf_of=on_behalf_of,
                text="上传已签字的告知承诺书,以承诺替代验资报告。",
                data={"commitment": fresh.pk, "material": material.pk},
            ),
            audit_extra={"sha256": material.sha256},
        )
    return commitment


def commitment_schedule_verification(*, application: Application, approved_on: datetime.date) -> None:
    """At approval: the signed commitment is due for verification
    `COMMITMENT_VERIFY_DAYS` working days later (called by the approve flow)."""
    try:
        due: datetime.date | None = WorkCalendar().add_working_days(approved_on, COMMITMENT_VERIFY_DAYS)
    except CalendarNotCovered:
        due = approved_on + datetime.timedelta(days=COMMITMENT_VERIFY_DAYS)  # calendar days: earlier, never later
    Commitment.objects.filter(application=application, status=Commitment.Status.SIGNED).update(verification_due=due)


def commitment_verify(
    *,
    actor: User,
    commitment: Commitment,
    truthful: bool,
    note: str,
) -> Commitment:
    """Record the verification after approval. Found false, the registration
    is revoked (撤销登记; needs WINDOW_DECIDE) and the certificate with it."""
    require(actor, Capability.WINDOW_WORK if truthful else Capability.WINDOW_DECIDE)
    note = (note or "").strip()
    if not truthful and not note:
        raise RegistrationError("note_required", "核查不实时必须写明核查情况。", field="note")
    if len(note) > NOTE_MAX:
        raise RegistrationError("note_too_long", f"核查情况不能超过{NOTE_MAX}个字。", field="note")
    with transaction.atomic():
        commitment = Commitment.objects.select_related("application", "application__organisation").get(pk=commitment.pk)
        application = commitment.application
        action = CommitmentAction.CONFIRM if truthful else CommitmentAction.REFUTE
        COMMITMENT_WORKFLOW.check(action, commitment)
        if application.state not in (State.APPROVED, State.ISSUED):
            raise Conflict("not_approved", "准予登记后才能核查告知承诺。")

        def revoke(fresh: Commitment, _event: object) -> None:
            if not truthful and application.organisation is not None:
                organisation_revoke(
                    actor=actor, organisation=application.organisation, reason=f"告知承诺核查不实:{note}"
                )

        COMMITMENT_WORKFLOW.transition(
            commitment,
            action=action,
            actor=actor,
            updates={"verified_at": timezone.now(), "verified_by": actor, "verification_note": note},
            event=lambda fresh, source, target: event_add(
                application,
                action="commitment_verify",
                actor=actor,
                text=("告知承诺核查属实" if truthful else "告知承诺核查不实,依法撤销登记")
                + (f":{note}" if note else "。"),
                data={"commitment": fresh.pk, "truthful": truthful},
            ),
            within=revoke,
            audit_extra={"note": note},
        )
        if not truthful:
            notify_applicant(
                application,
                f"经核查,{application.org_name}的告知承诺内容不实,已依法撤销登记。如不服,可依法申请行政复议或者提起行政诉讼。",
                key="commitment-false",
            )
    return commitment


def commitments_follow_up(*, today: datetime.date | None = None) -> int:
    """The follow-up task: every window staff user gets one in-app message
    per commitment whose verification is due and not yet recorded. Idempotent
    (one dedupe key per commitment and user). Returns the messages created."""
    today = today or timezone.localdate()
    staff = window_staff()
    created = 0
    for commitment in commitments_due(today=today):
        application = commitment.application
        link = reverse("registration:app-detail", kwargs={"pk": application.pk})
        for user in staff:
            key = f"reg-commitment-due-{commitment.pk}-{user.pk}"
            if Notification.objects.filter(dedupe_key=key).exists():
                continue
            notify_user(
                user,
                f"告知承诺待核查:{application.org_name}",
                f"{application.org_name}(受理编号 {application.number or '—'})的告知承诺应于"
                f"{commitment.verification_due:%Y年%m月%d日}前核查,请核查资金到位情况并记录结果。",
                link,
                dedupe_key=key,
            )
            created += 1
    return created
