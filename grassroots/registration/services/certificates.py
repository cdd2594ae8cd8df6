"""Certificates (登记证书): unified social credit codes, issue and renewal
chain, the printable certificate, revocation (expiry reminders: `certificate_reminders`).

Credit code (GB 32100-2015, 18 characters), allocated by `credit_code_allocate`:
``5`` (registration authority: civil affairs) + the organisation-type digit
(`USCC_TYPE`: 1 social group, 2 private non-enterprise unit, 3 foundation) +
`Authority.division_code` (6 digits) + the 9-character organisation code
(GB 11714-1997) + the GB 32100 check character.
The organisation code's 8-character body is ``MJ`` followed by a 6-digit
sequence (MJ000001, MJ000002, …): "MJ" (民政) keeps the codes this platform
assigns apart from organisation codes issued elsewhere, and both letters are
in the USCC alphabet. The next number is one more than the highest "MJ" body
among all organisations of the installation, whatever their type, division or
status; organisations with a certificate cannot be deleted (PROTECT), so a
number is never handed out twice, also after a revocation or deregistration.
Its ninth character is the GB 11714 check character; a concurrent allocation
of the same number fails on the unique credit code and is retried.

Certificate number (证书编号): division code + year of issue + a 5-digit
sequence within that year, e.g. ``370391202600007``; renewals get a new
number, the credit code stays. Validity comes from
`Authority.certificate_validity_years` (locally configured, default 5):
from the day of issue to the day before the same date N years later.
"""

from __future__ import annotations

import datetime
import logging
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.documents import qr_svg, render_pdf
from grassroots.core.errors import Conflict, DomainError, PermissionDenied
from grassroots.core.links import public_url
from grassroots.core.notifications.services import normalise_mobile
from grassroots.core.validators import is_valid_uscc_strict, make_uscc

from ..models import (
    USCC_TYPE,
    Application,
    Authority,
    Certificate,
    Organisation,
    OrgType,
    ServiceKind,
)
from ..states import Action, State
from .workflow import notify_applicant, transition

logger = logging.getLogger(__name__)

ORG_CODE_PREFIX = "MJ"
ORG_CODE_DIGITS = 6
ALLOCATION_ATTEMPTS = 5
CERTIFICATE_TITLES = {
    OrgType.SOCIAL_GROUP: "社会团体法人登记证书",
    OrgType.PNE: "民办非企业单位(法人)登记证书",
    OrgType.FOUNDATION: "基金会法人登记证书",
}
FUNDS_LABELS = {OrgType.SOCIAL_GROUP: "注册资金", OrgType.PNE: "开办资金", OrgType.FOUNDATION: "原始基金"}


def authority_or_none() -> Authority | None:
    return Authority.objects.order_by("id").first()


def authority_get() -> Authority:
    authority = authority_or_none()
    if authority is None:
        raise DomainError("authority_missing", "尚未配置登记管理机关,请管理员先完成事项目录初始化。")
    return authority


# --- Credit codes -----------------------------------------------------------------


def _next_org_sequence() -> int:
    body = Substr("credit_code", 9, 8)  # positions 9–16: the organisation-code body
    highest = (
        Organisation.objects.annotate(body=body)
        .filter(body__startswith=ORG_CODE_PREFIX)
        .aggregate(top=Max("body"))["top"]
    )
    if not highest:
        return 1
    tail = highest[len(ORG_CODE_PREFIX) :]
    return (int(tail) if tail.isdigit() else 0) + 1


def credit_code_allocate(*, org_type: str) -> str:
    """The next unused unified social credit code for an organisation of
    `org_type` (see the module docstring for the scheme)."""
    if org_type not in USCC_TYPE:
        raise DomainError("org_type_invalid", "组织类型无效。", field="org_type")
    authority = authority_get()
    sequence = _next_org_sequence()
    if sequence >= 10**ORG_CODE_DIGITS:
        raise DomainError("credit_code_exhausted", "组织机构代码顺序号已用完,请联系系统管理员调整编码方案。")
    code = make_uscc(
        authority="5",
        org_type=USCC_TYPE[OrgType(org_type)],
        division=authority.division_code,
        org_code8=f"{ORG_CODE_PREFIX}{sequence:0{ORG_CODE_DIGITS}d}",
    )
    if not is_valid_uscc_strict(code):  # both check characters, before the code is used
        raise DomainError("credit_code_invalid", "生成的统一社会信用代码未通过校验,请联系系统管理员。")
    return code


def _certificate_number(*, authority: Authority, year: int) -> str:
    prefix = f"{authority.division_code}{year}"
    highest = Certificate.objects.filter(number__startswith=prefix).aggregate(top=Max("number"))["top"]
    tail = highest[len(prefix) :] if highest else ""
    sequence = (int(tail) if tail.isdigit() else 0) + 1
    return f"{prefix}{sequence:05d}"


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def verify_path(certificate: Certificate) -> str:
    """The public verification page a certificate's QR code points to."""
    url = reverse("registration-public:cert-verify", kwargs={"code": certificate.organisation.credit_code})
    return f"{url}?t={certificate.verify_token}"


def verify_url(certificate: Certificate) -> str:
    return public_url(verify_path(certificate))


# --- Issue ------------------------------------------------------------------------


def _require(actor: Actor, capability: str) -> None:
    if not user_can(actor, capability):
        raise PermissionDenied()


def _mobile_or_blank(phone: str) -> str:
    try:
        return normalise_mobile(phone)
    except DomainError:
        return ""


def _organisation_create(*, application: Application, registered_on: datetime.date) -> Organisation:
    name = application.org_name.strip()
    if not name:
        raise DomainError("org_name_required", "申请未填写组织名称,不能发证。", field="org_name")
    if Organisation.objects.filter(name=name).exists():
        raise DomainError("organisation_name_taken", f"已有同名社会组织“{name}”,不能重复登记。", field="org_name")
    last_error: IntegrityError | None = None
    for _attempt in range(ALLOCATION_ATTEMPTS):
        code = credit_code_allocate(org_type=application.org_type)
        try:
            with transaction.atomic():  # a savepoint: a lost race does not spoil the caller's transaction
                return Organisation.objects.create(
                    name=name,
                    org_type=application.org_type,
                    pne_form=application.pne_form,
                    field=application.field,
                    credit_code=code,
                    legal_representative=application.legal_representative,
                    # The applicant the window dealt with becomes the contact on
                    # file: renewal codes go there (ADR 0028).
                    contact_phone=_mobile_or_blank(application.applicant_phone),
                    address=application.address,
                    supervising_unit=application.supervising_unit,
                    funds=application.funds,
                    business_scope=application.business_scope,
                    registered_on=registered_on,
                )
        except IntegrityError as exc:
            if Organisation.objects.filter(name=name).exists():
                raise DomainError(
                    "organisation_name_taken", f"已有同名社会组织“{name}”,不能重复登记。", field="org_name"
                ) from exc
            last_error = exc  # another issue took the same number: allocate again
    raise DomainError("credit_code_busy", "统一社会信用代码分配冲突,请稍后重试。") from last_error


def _certificate_create(
    *, organisation: Organisation, application: Application, issued_on: datetime.date, replaces: Certificate | None
) -> Certificate:
    authority = authority_get()
    valid_until = add_years(issued_on, authority.certificate_validity_years) - datetime.timedelta(days=1)
    last_error: IntegrityError | None = None
    for _attempt in range(ALLOCATION_ATTEMPTS):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    organisation=organisation,
                    application=application,
                    number=_certificate_number(authority=authority, year=issued_on.year),
                    issued_on=issued_on,
                    valid_from=issued_on,
                    valid_until=valid_until,
                    replaces=replaces,
                    verify_token=secrets.token_urlsafe(12),  # 96 bits
                )
        except IntegrityError as exc:
            if Certificate.objects.filter(
                Q(application=application) | Q(organisation=organisation, status="valid")
            ).exists():
                raise Conflict("certificate_exists", "该申请已发证,或该组织仍有有效证书。") from exc
            last_error = exc  # a concurrent issue took the same certificate number
    raise DomainError("certificate_number_busy", "证书编号分配冲突,请稍后重试。") from last_error


def _transition_issued(*, actor: User, application: Application, certificate: Certificate) -> None:
    """approved → issued through the applications part's one transition
    helper (state table, conditional update, event, audit)."""
    transition(
        application,
        action=Action.ISSUE,
        actor=actor,
        text=f"已制发登记证书,证书编号 {certificate.number},统一社会信用代码 {certificate.organisation.credit_code}。",
        data={"certificate": certificate.pk, "number": certificate.number},
    )


def certificate_issue(*, actor: User, application: Application, issued_on: datetime.date | None = None) -> Certificate:
    """Issue the certificate of an approved establishment or renewal (换证)
    application and move it approved → issued. Establishment creates the
    Organisation with a new credit code; renewal keeps the code and replaces
    the organisation's valid certificate (status replaced, chain via
    `replaces`). 《行政许可法》第44条: the certificate is delivered within 10
    working days of the decision; we issue at once.

    `issued_on` back-dates the issue, only for recording certificates issued
    on paper before the platform (demo data, migrations); such a record
    sends the applicant no text message."""
    _require(actor, Capability.WINDOW_DECIDE)
    with transaction.atomic():
        application = Application.objects.select_related("service", "organisation").get(pk=application.pk)
        if application.state != State.APPROVED:
            raise Conflict("application_not_approved", "只有准予登记的申请才能发证。")
        kind = application.service.kind
        day = issued_on or timezone.localdate()
        replaced: Certificate | None = None
        if kind == ServiceKind.ESTABLISH:
            if application.organisation_id is not None:
                raise Conflict("organisation_exists", "该申请已关联社会组织,不能重复成立登记。")
            organisation = _organisation_create(application=application, registered_on=day)
            Application.objects.filter(pk=application.pk).update(organisation=organisation)
            application.organisation = organisation
        elif kind == ServiceKind.RENEWAL:
            organisation = _renewal_organisation(application)
            replaced = organisation.certificates.filter(status=Certificate.Status.VALID).first()
            if replaced is not None:
                updated = Certificate.objects.filter(pk=replaced.pk, status=Certificate.Status.VALID).update(
                    status=Certificate.Status.REPLACED
                )
                if updated != 1:
                    raise Conflict("certificate_state_changed", "原证书状态已变化,请刷新后重试。")
        else:
            raise DomainError("service_issues_no_certificate", "该事项不制发登记证书。")
        certificate = _certificate_create(
            organisation=organisation, application=application, issued_on=day, replaces=replaced
        )
        _transition_issued(actor=actor, application=application, certificate=certificate)
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            obj=certificate,
            detail={
                "number": certificate.number,
                "credit_code": organisation.credit_code,
                "application": application.pk,
                "replaces": replaced.number if replaced else None,
            },
        )
        if issued_on is None:
            _notify_issued(application=application, certificate=certificate)
    return certificate


def _renewal_organisation(application: Application) -> Organisation:
    organisation = application.organisation
    if organisation is None:
        raise DomainError("renewal_without_organisation", "换证申请未关联社会组织。")
    if organisation.status != Organisation.Status.ACTIVE:
        raise Conflict("organisation_not_active", "该社会组织已注销或被撤销登记,不能换发证书。")
    return organisation


def _notify_issued(*, application: Application, certificate: Certificate) -> None:
    organisation = certificate.organisation
    if application.service.kind == ServiceKind.RENEWAL and application.inbound_tracking:
        body = (
            f"{organisation.name}的新登记证书已制发(证书编号 {certificate.number}),"
            "将通过 EMS 政务寄递免费寄回,寄出后另行短信告知运单号。"
        )
    else:
        body = f"{organisation.name}的登记证书已制发,统一社会信用代码 {organisation.credit_code}。"
    notify_applicant(application, body, key="issued", subject="登记证书已制发")


# --- Documents --------------------------------------------------------------------


def certificate_context(*, certificate: Certificate) -> dict[str, Any]:
    organisation = certificate.organisation
    org_type = OrgType(organisation.org_type)
    return {
        "certificate": certificate,
        "organisation": organisation,
        "authority": authority_get(),
        "title": CERTIFICATE_TITLES[org_type],
        "funds_label": FUNDS_LABELS[org_type],
        "verify_url": verify_url(certificate),
        "qr": qr_svg(verify_url(certificate), scale=3),
    }


def certificate_pdf(*, certificate: Certificate) -> bytes:
    """The printable certificate (A4 landscape) with a QR code to the public
    verification page."""
    return render_pdf(
        template_name="registration/documents/certificate.html", context=certificate_context(certificate=certificate)
    )


def certificate_filename(certificate: Certificate) -> str:
    return f"登记证书-{certificate.organisation.name}-{certificate.number}.pdf"


# --- Revocation -------------------------------------------------------------------


def organisation_revoke(*, actor: User, organisation: Organisation, reason: str) -> Organisation:
    """Revoke a registration (撤销登记), e.g. when a commitment (告知承诺) is
    found false: the organisation becomes revoked and its valid certificate
    revoked; verification shows it from then on."""
    _require(actor, Capability.WINDOW_DECIDE)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "撤销登记必须填写理由。", field="reason")
    with transaction.atomic():
        updated = Organisation.objects.filter(pk=organisation.pk, status=Organisation.Status.ACTIVE).update(
            status=Organisation.Status.REVOKED
        )
        if updated != 1:
            raise Conflict("organisation_not_active", "该社会组织已注销或已被撤销登记。")
        revoked = Certificate.objects.filter(organisation=organisation, status=Certificate.Status.VALID).update(
            status=Certificate.Status.REVOKED
        )
        organisation.refresh_from_db(fields=["status"])
        audit_record(
            action=AuditAction.STATE_CHANGE,
            actor=actor,
            obj=organisation,
            detail={"to": Organisation.Status.REVOKED, "reason": reason, "certificates_revoked": revoked},
        )
    return organisation
