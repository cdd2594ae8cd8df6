"""Renewal by mail without a visit (不见面审批换证): the organisation asks
online with no materials, mails its old certificate by EMS government-service
post and gets the new one mailed back free.

When a renewal may be requested (decided here, shown on the form):
- the organisation exists, is active (not deregistered or revoked) and has a
  valid certificate;
- that certificate expires within `RENEWAL_OPENS_DAYS` (90) days, or expired
  less than `EXPIRED_GRACE_DAYS` (365) days ago — earlier is too soon, later
  needs a visit to the window;
- 《行政许可法》第50条: renewal is to be applied for at least 30 days before
  expiry; a later request is accepted but warned about (`RenewalCheck.late`);
- no other renewal of the organisation is open.

A request is created only after an SMS code sent to a phone on file has been
entered (`renewal_verification.py`, ADR 0028); staff may void a request that
was not the organisation's own (`decisions.application_void`).

EMS tracking numbers (`normalise_ems`, rules in `registration/validators.py`):
either 13 digits (domestic EMS numbers, e.g. ``1234567890123``; no published
check digit, so only the format) or the UPU S10 form ``XX`` + 8 digits + check
digit + ``CN`` (e.g. ``EA123456785CN``) with the check digit right.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.documents import render_pdf
from grassroots.core.errors import Conflict, DomainError, PermissionDenied
from grassroots.core.files import CheckedFile
from grassroots.core.notifications.services import normalise_mobile
from grassroots.core.validators import USCC_PATTERN, is_valid_uscc_strict

from ..models import (
    Application,
    ApplicationMaterial,
    Certificate,
    MaterialStatus,
    Organisation,
    Service,
    ServiceKind,
)
from ..states import OPEN_STATES, State
from ..validators import ems_clean, ems_problem
from .applications import ApplicationInput, application_create, application_submit
from .certificates import authority_or_none
from .materials import store
from .workflow import event_add, format_tracking_code, notify_applicant

RENEWAL_OPENS_DAYS = 90
RENEWAL_STATUTORY_DAYS = 30  # 《行政许可法》第50条
EXPIRED_GRACE_DAYS = 365
NAME_MAX = 50
OLD_CERTIFICATE_REQUIREMENT = "old-certificate"  # the seeded catalogue's material code

# Timeline actions of this module (ApplicationEvent.action).
EVENT_MAIL_RECEIVED = "mail_received"
EVENT_MAIL_OUT = "mail_out"
EVENT_LABELS = {EVENT_MAIL_RECEIVED: "收到寄来的旧证书", EVENT_MAIL_OUT: "新证书已寄出"}


def normalise_ems(value: str, *, field: str = "inbound_tracking") -> str:
    number = ems_clean(value)
    problem = ems_problem(number)
    if problem is not None:
        raise DomainError(problem[0], problem[1], field=field)
    return number


def normalise_credit_code(value: str, *, field: str = "credit_code") -> str:
    """Upper-cased, spaces removed, both check characters right; a mistyped
    code is refused before anything is looked up."""
    code = re.sub(r"\s", "", value or "").upper()
    if not USCC_PATTERN.match(code):
        raise DomainError("credit_code_format", "统一社会信用代码应为 18 位数字或大写字母,请核对。", field=field)
    if not is_valid_uscc_strict(code):
        raise DomainError("credit_code_check", "统一社会信用代码校验码不正确,请核对后重新输入。", field=field)
    return code


@dataclass(frozen=True)
class RenewalCheck:
    organisation: Organisation
    certificate: Certificate
    days_left: int  # negative once expired
    late: bool  # fewer than 30 days before expiry, or expired (Art. 50)

    @property
    def warning(self) -> str:
        if self.days_left < 0:
            return (
                f"证书已于{self.certificate.valid_until:%Y年%m月%d日}到期。依照《行政许可法》第五十条,"
                "应在有效期届满30日前申请换证;本次申请仍可受理,请尽快寄出旧证。"
            )
        if self.late:
            return (
                f"证书将于{self.certificate.valid_until:%Y年%m月%d日}到期,距今不足30日。依照《行政许可法》"
                "第五十条,应在有效期届满30日前提出申请;本次申请仍可受理,请尽快寄出旧证。"
            )
        return ""


def renewal_check(*, credit_code: str, today: datetime.date | None = None) -> RenewalCheck:
    """Whether the organisation with `credit_code` may renew by mail now
    (rules in the module docstring); DomainError with the reason if not."""
    code = normalise_credit_code(credit_code)
    today = today or timezone.localdate()
    organisation = Organisation.objects.filter(credit_code=code).first()
    if organisation is None:
        raise DomainError("organisation_not_found", "未找到该统一社会信用代码对应的社会组织。", field="credit_code")
    if organisation.status != Organisation.Status.ACTIVE:
        raise DomainError("organisation_not_active", "该社会组织已注销或被撤销登记,不能申请换证。", field="credit_code")
    certificate = organisation.certificates.filter(status=Certificate.Status.VALID).first()
    if certificate is None:
        raise DomainError("no_valid_certificate", "该社会组织没有有效的登记证书,请到窗口咨询。", field="credit_code")
    days_left = (certificate.valid_until - today).days
    if days_left > RENEWAL_OPENS_DAYS:
        opens = certificate.valid_until - datetime.timedelta(days=RENEWAL_OPENS_DAYS)
        raise DomainError(
            "renewal_too_early",
            f"证书有效期至{certificate.valid_until:%Y年%m月%d日},到期前{RENEWAL_OPENS_DAYS}日内"
            f"(自{opens:%Y年%m月%d日}起)方可申请换证。",
            field="credit_code",
        )
    if -days_left >= EXPIRED_GRACE_DAYS:
        raise DomainError(
            "renewal_expired_too_long",
            "证书已过期一年以上,不能通过不见面方式换证,请到登记窗口办理。",
            field="credit_code",
        )
    if Application.objects.filter(
        organisation=organisation, service__kind=ServiceKind.RENEWAL, state__in=OPEN_STATES
    ).exists():
        raise Conflict("renewal_open", "该社会组织已有换证申请正在办理中,请勿重复申请。")
    return RenewalCheck(organisation, certificate, days_left, late=days_left < RENEWAL_STATUTORY_DAYS)


def renewal_service(*, org_type: str) -> Service:
    """The renewal service for `org_type`: one specific to the type wins over
    a general one (blank org_type)."""
    service = (
        Service.objects.filter(kind=ServiceKind.RENEWAL)
        .filter(Q(org_type=org_type) | Q(org_type=""))
        .annotate(specific=Case(When(org_type=org_type, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("specific", "sort_order", "code")
        .first()
    )
    if service is None:
        raise DomainError("renewal_service_missing", "换证事项尚未配置,请联系登记窗口。")
    return service


def renewal_details_clean(*, applicant_name: str, phone: str, inbound_tracking: str) -> tuple[str, str, str]:
    """The applicant's name, mobile and the inbound EMS number, checked and
    normalised (the same rules before the code is sent and when it is used)."""
    name = (applicant_name or "").strip()
    if not name:
        raise DomainError("applicant_name_required", "请填写经办人姓名。", field="applicant_name")
    if len(name) > NAME_MAX:
        raise DomainError("applicant_name_too_long", f"经办人姓名不能超过{NAME_MAX}个字。", field="applicant_name")
    try:
        mobile = normalise_mobile(phone)
    except DomainError:
        raise DomainError("phone_invalid", "请填写正确的11位手机号码,用于接收办理进度短信。", field="phone") from None
    return name, mobile, normalise_ems(inbound_tracking)


def renewal_request(
    *,
    organisation_credit_code: str,
    applicant_name: str,
    phone: str,
    inbound_tracking: str,
    today: datetime.date | None = None,
) -> Application:
    """An online renewal request without materials or visit: a submitted
    renewal application for the organisation, carrying the EMS number of the
    mailed old certificate. The applicant gets the tracking code by SMS.

    Public pages and the API reach this only through
    `renewal_verification.renewal_verification_confirm`, i.e. after the code
    sent to a phone on file was entered (ADR 0028)."""
    check = renewal_check(credit_code=organisation_credit_code, today=today)
    name, mobile, tracking = renewal_details_clean(
        applicant_name=applicant_name, phone=phone, inbound_tracking=inbound_tracking
    )
    organisation = check.organisation
    service = renewal_service(org_type=organisation.org_type)
    with transaction.atomic():
        application = _application_create_submitted(
            service=service, organisation=organisation, applicant_name=name, phone=mobile, inbound_tracking=tracking
        )
        audit_record(
            action=AuditAction.CREATE,
            obj=application,
            detail={"service": service.code, "organisation": organisation.pk, "no_visit": True, "late": check.late},
        )
        _sms(
            application,
            f"{organisation.name}的换证申请已提交,查询码 {format_tracking_code(application.tracking_code)}。"
            "请将旧证书通过 EMS 政务寄递寄至登记窗口;收到后我们将审核并免费寄回新证。",
            key="submitted",
        )
    return application


def _application_create_submitted(
    *, service: Service, organisation: Organisation, applicant_name: str, phone: str, inbound_tracking: str
) -> Application:
    """A submitted renewal application through the applications part's
    services (tracking code, Art. 32 review clock, timeline, staff notice),
    filed online by the applicant (no actor)."""
    data = ApplicationInput(
        org_name=organisation.name,
        org_type=organisation.org_type,
        pne_form=organisation.pne_form,
        field=organisation.field,
        address=organisation.address,
        supervising_unit=organisation.supervising_unit,
        funds=organisation.funds,
        business_scope=organisation.business_scope,
        legal_representative=organisation.legal_representative,
        applicant_name=applicant_name,
        applicant_phone=phone,
    )
    application = application_create(service=service, data=data, organisation=organisation)
    Application.objects.filter(pk=application.pk).update(inbound_tracking=inbound_tracking)
    application.inbound_tracking = inbound_tracking
    # Renewal by mail uploads nothing: the old certificate comes by post and the
    # window records its receipt as the material (renewal_mark_received).
    return application_submit(application=application, confirm_incomplete=True)


# --- Staff: mail in and out ---------------------------------------------------------


def _renewal_for_staff(*, actor: User, application: Application) -> Application:
    if not user_can(actor, Capability.WINDOW_WORK):
        raise PermissionDenied()
    application = Application.objects.select_related("service", "organisation").get(pk=application.pk)
    if application.service.kind != ServiceKind.RENEWAL or not application.inbound_tracking:
        raise DomainError("not_mail_renewal", "该申请不是不见面换证申请。")
    return application


def _event(*, application: Application, actor: User, action: str, text: str, data: dict[str, str]) -> None:
    event_add(
        application,
        action=action,
        actor=actor,
        text=text,
        data=data,
        from_state=application.state,
        to_state=application.state,
    )


def _record_receipt(*, actor: User, application: Application, received_at: datetime.datetime) -> None:
    """The mailed original stands in for the "原登记证书" material: a receipt
    record (PDF) is filed for that requirement and marked compliant, so that
    preliminary review and acceptance see the material as received. Only
    while the application is under preliminary review."""
    requirement = application.service.requirements.filter(code=OLD_CERTIFICATE_REQUIREMENT).first()
    if requirement is None or application.state != State.SUBMITTED:
        return
    pdf = render_pdf(
        template_name="registration/certificates/receipt_print.html",
        context={
            "application": application,
            "certificate": application.organisation.certificates.filter(status=Certificate.Status.VALID).first()
            if application.organisation
            else None,
            "received_at": timezone.localtime(received_at),
            "staff": str(actor),
            "authority": authority_or_none(),
        },
    )
    checked = CheckedFile(
        name=f"旧证收件记录-{application.tracking_code}.pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        content=ContentFile(pdf),
    )
    material = store(
        application=application, checked=checked, requirement=requirement, extra_kind="", actor=actor, on_behalf_of=""
    )
    ApplicationMaterial.objects.filter(pk=material.pk).update(
        status=MaterialStatus.OK, review_reason="邮寄的原件已收到,经核对无误。"
    )


def renewal_mark_received(*, actor: User, application: Application) -> Application:
    """Staff confirm that the old certificate mailed in has arrived; under
    preliminary review, its receipt record is filed as the old-certificate
    material (see `_record_receipt`)."""
    with transaction.atomic():
        application = _renewal_for_staff(actor=actor, application=application)
        if application.state not in OPEN_STATES:
            raise Conflict("application_closed", "该申请已办结或已撤回。")
        now = timezone.now()
        updated = Application.objects.filter(pk=application.pk, old_certificate_received_at__isnull=True).update(
            old_certificate_received_at=now, updated_at=now
        )
        if updated != 1:
            raise Conflict("already_received", "已确认收到旧证书,无需重复操作。")
        application.old_certificate_received_at = now
        _record_receipt(actor=actor, application=application, received_at=now)
        _event(
            application=application,
            actor=actor,
            action=EVENT_MAIL_RECEIVED,
            text=f"已收到寄来的旧证书(EMS {application.inbound_tracking})。",
            data={"inbound_tracking": application.inbound_tracking},
        )
        audit_record(
            action=AuditAction.UPDATE, actor=actor, obj=application, detail={"renewal": "old_certificate_received"}
        )
        _sms(
            application,
            f"已收到{application.org_name}寄来的旧证书(EMS {application.inbound_tracking}),换证申请正在办理。",
            key="received",
        )
    return application


def renewal_mail_out(*, actor: User, application: Application, outbound_tracking: str) -> Application:
    """Staff record the EMS number of the new certificate mailed (free) to the
    organisation; the applicant gets it by SMS."""
    number = normalise_ems(outbound_tracking, field="outbound_tracking")
    with transaction.atomic():
        application = _renewal_for_staff(actor=actor, application=application)
        if application.state != State.ISSUED:
            raise Conflict("not_issued", "新证书尚未制发,不能寄出。")
        if application.old_certificate_received_at is None:
            raise Conflict("old_certificate_missing", "尚未确认收到寄来的旧证书,请先确认收件。")
        now = timezone.now()
        updated = Application.objects.filter(pk=application.pk, mailed_at__isnull=True).update(
            outbound_tracking=number, mailed_at=now, updated_at=now
        )
        if updated != 1:
            raise Conflict("already_mailed", "新证书已登记寄出,无需重复操作。")
        application.outbound_tracking, application.mailed_at = number, now
        _event(
            application=application,
            actor=actor,
            action=EVENT_MAIL_OUT,
            text=f"新证书已通过 EMS 政务寄递免费寄出,运单号 {number}。",
            data={"outbound_tracking": number},
        )
        audit_record(
            action=AuditAction.UPDATE, actor=actor, obj=application, detail={"renewal": "mailed", "ems": number}
        )
        _sms(
            application,
            f"{application.org_name}的新登记证书已通过 EMS 免费寄出,运单号 {number},请注意查收。",
            key="mailed",
        )
    return application


def _sms(application: Application, body: str, *, key: str) -> None:
    notify_applicant(application, body, key=f"renewal-{key}", subject="换证进度")
