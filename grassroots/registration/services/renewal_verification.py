"""Renewal by mail verified by an SMS code (ADR 0028).

Knowing a credit code is not enough to ask for an organisation's renewal: the
request waits in a `RenewalVerification` row while a 6-digit code goes by SMS
(through the notifications outbox) to a phone on file — the legal
representative's or the contact's, never a number the requester types. Only
the right code creates the application (`renewal.renewal_request`).

- The code is kept as a keyed HMAC-SM3 (the key is not in the database), is
  valid for `CODE_TTL`, and `MAX_ATTEMPTS` wrong entries void the row.
- A new code may be sent after `RESEND_AFTER`, at most `MAX_SENDS` times.
- Codes sent per organisation (`PER_ORGANISATION_HOUR`, `_DAY`) and requests
  per client address (`PER_IP_HOUR`) are limited, so neither the phone holder
  nor the SMS budget can be flooded and guessing stays hopeless.
- A pending row blocks nothing: eligibility looks at applications only, and
  several rows may wait at once; the first code entered wins.
"""

from __future__ import annotations

import datetime
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.crypto import blind_index, constant_time_equal
from grassroots.core.errors import Conflict, DomainError, NotFound, PermissionDenied, TooManyRequests
from grassroots.core.masking import mask_phone
from grassroots.core.models import AuditEntry
from grassroots.core.notifications.services import normalise_mobile, notify_sms
from grassroots.core.workflow import Workflow

from ..models import Organisation, RenewalVerification
from ..states import VERIFICATION_TABLE, VerificationAction
from .renewal import renewal_check, renewal_details_clean, renewal_request
from .sms_kinds import RENEWAL_CODE

if TYPE_CHECKING:
    from ..models import Application

CODE_TTL = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_AFTER = datetime.timedelta(seconds=60)
MAX_SENDS = 3
PER_ORGANISATION_HOUR = 5
PER_ORGANISATION_DAY = 10
PER_IP_HOUR = 10
CODE_PURPOSE = "registration.renewal.code"
AUDIT_SENT = "registration.renewal_code_sent"
AUDIT_VERIFIED = "registration.renewal_code_verified"
AUDIT_WRONG = "registration.renewal_code_wrong"

Recipient = RenewalVerification.Recipient
Status = RenewalVerification.Status


@dataclass(frozen=True)
class PhoneOnFile:
    recipient: str
    label: str
    masked: str


def renewal_phones_on_file(organisation: Organisation) -> list[PhoneOnFile]:
    """Where a code can go, masked (``138****5678``) for the requester's screen."""
    phones = [
        (Recipient.LEGAL_REPRESENTATIVE, organisation.legal_representative_phone),
        (Recipient.CONTACT, organisation.contact_phone),
    ]
    return [PhoneOnFile(str(who), str(who.label), mask_phone(phone)) for who, phone in phones if phone]


def _phone_for(organisation: Organisation, recipient: str) -> tuple[str, str]:
    on_file = {
        Recipient.LEGAL_REPRESENTATIVE: organisation.legal_representative_phone,
        Recipient.CONTACT: organisation.contact_phone,
    }
    if not any(on_file.values()):
        raise DomainError(
            "no_phone_on_file",
            "该社会组织没有留存法定代表人或联系人的手机号,无法短信验证。请携带登记证书到登记窗口办理换证。",
            field="credit_code",
        )
    if not recipient:  # one phone on file: no choice to make
        recipient = next(who for who, phone in on_file.items() if phone)
    if recipient not in on_file or not on_file[Recipient(recipient)]:
        raise DomainError("recipient_invalid", "请选择接收验证码的留存手机号。", field="recipient")
    return recipient, on_file[Recipient(recipient)]


def _hash(token: str, code: str) -> str:
    return blind_index(f"{token}:{code}", purpose=CODE_PURPOSE)


def _new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _send(verification: RenewalVerification, *, phone: str, code: str) -> None:
    notify_sms(
        phone,
        f"【社会组织登记】{verification.organisation.name}换证申请验证码 {code},{CODE_TTL.seconds // 60}分钟内有效。"
        "如非本单位申请,请勿告知他人,并联系登记窗口。",
        kind=RENEWAL_CODE,
        params={
            "organisation": verification.organisation.name,
            "code": code,
            "minutes": str(CODE_TTL.seconds // 60),
        },
        subject="换证验证码",
        dedupe_key=f"reg-renew-code-{verification.pk}-{verification.sends}",
    )


def _throttle(*, organisation: Organisation, client_ip: str | None, now: datetime.datetime) -> None:
    rows = RenewalVerification.objects.filter(organisation=organisation)
    for window, limit in (
        (datetime.timedelta(hours=1), PER_ORGANISATION_HOUR),
        (datetime.timedelta(days=1), PER_ORGANISATION_DAY),
    ):
        sent = rows.filter(created_at__gte=now - window).aggregate(n=Sum("sends"))["n"] or 0
        if sent >= limit:
            raise TooManyRequests(
                "renewal_code_throttled",
                "该社会组织的验证码发送次数已达上限,请稍后再试;如非本单位操作,请联系登记窗口。",
            )
    if client_ip and (
        RenewalVerification.objects.filter(
            client_ip=client_ip, created_at__gte=now - datetime.timedelta(hours=1)
        ).count()
        >= PER_IP_HOUR
    ):
        raise TooManyRequests("renewal_ip_throttled", "提交过于频繁,请稍后再试。")


def renewal_verification_start(
    *,
    organisation_credit_code: str,
    applicant_name: str,
    phone: str,
    inbound_tracking: str,
    recipient: str = "",
    client_ip: str | None = None,
) -> RenewalVerification:
    """Check the request as `renewal_request` will, then send a code to the
    chosen phone on file; nothing is created for the organisation yet."""
    check = renewal_check(credit_code=organisation_credit_code)
    name, mobile, tracking = renewal_details_clean(
        applicant_name=applicant_name, phone=phone, inbound_tracking=inbound_tracking
    )
    organisation = check.organisation
    recipient, target = _phone_for(organisation, recipient)
    now = timezone.now()
    _throttle(organisation=organisation, client_ip=client_ip, now=now)
    token, code = secrets.token_urlsafe(32), _new_code()
    with transaction.atomic():
        verification = RenewalVerification.objects.create(
            token=token,
            organisation=organisation,
            recipient=recipient,
            code_hash=_hash(token, code),
            sent_at=now,
            expires_at=now + CODE_TTL,
            client_ip=client_ip or None,
            applicant_name=name,
            applicant_phone=mobile,
            inbound_tracking=tracking,
        )
        audit_record(
            action=AUDIT_SENT,
            obj=verification,
            ip=client_ip,
            detail={"organisation": organisation.pk, "recipient": recipient, "sends": 1},
        )
        _send(verification, phone=target, code=code)
    return verification


def renewal_verification_get(*, token: str) -> RenewalVerification:
    verification = (
        RenewalVerification.objects.select_related("organisation", "application").filter(token=token or "").first()
    )
    if verification is None:
        raise NotFound("未找到该换证验证,或链接已失效,请重新申请。")
    return verification


def renewal_verification_masked_phone(verification: RenewalVerification) -> str:
    organisation = verification.organisation
    phone = (
        organisation.legal_representative_phone
        if verification.recipient == Recipient.LEGAL_REPRESENTATIVE
        else organisation.contact_phone
    )
    return mask_phone(phone)


def _not_allowed(action: str, state: str) -> DomainError:
    if state == Status.VERIFIED:
        return Conflict("renewal_already_verified", "该换证申请已验证并提交,无需重复操作。")
    return DomainError("renewal_code_void", "验证码错误次数过多,本次验证已失效,请重新申请。", field="code")


# Anonymous requesters hold the token; the code is the check, so no permission.
WORKFLOW: Workflow[RenewalVerification] = Workflow(
    model=RenewalVerification,
    table=VERIFICATION_TABLE,
    not_allowed=_not_allowed,
    stale=lambda: Conflict("renewal_verification_changed", "验证状态已变化,请刷新页面后重试。"),
    state_field="status",
    timestamp_field=None,
)


def _require_pending(verification: RenewalVerification) -> None:
    if verification.status != Status.PENDING:
        raise _not_allowed(VerificationAction.VERIFY, verification.status)


def renewal_verification_resend(*, token: str, client_ip: str | None = None) -> RenewalVerification:
    """A new code (the old one stops working), after `RESEND_AFTER` and at
    most `MAX_SENDS` codes per request; wrong tries are not forgiven."""
    verification = renewal_verification_get(token=token)
    _require_pending(verification)
    now = timezone.now()
    wait = verification.sent_at + RESEND_AFTER - now
    if wait > datetime.timedelta(0):
        raise TooManyRequests(
            "renewal_resend_too_soon", f"验证码已发送,请在{int(wait.total_seconds()) + 1}秒后再重新获取。"
        )
    if verification.sends >= MAX_SENDS:
        raise TooManyRequests("renewal_resend_limit", "本次申请的验证码发送次数已达上限,请稍后重新申请。")
    organisation = verification.organisation
    _throttle(organisation=organisation, client_ip=None, now=now)
    _, target = _phone_for(organisation, verification.recipient)
    code = _new_code()
    with transaction.atomic():
        updated = RenewalVerification.objects.filter(
            pk=verification.pk, status=Status.PENDING, sends=verification.sends
        ).update(
            code_hash=_hash(verification.token, code), sends=F("sends") + 1, sent_at=now, expires_at=now + CODE_TTL
        )
        if updated != 1:
            raise Conflict("renewal_verification_changed", "验证状态已变化,请刷新页面后重试。")
        verification.refresh_from_db()
        audit_record(
            action=AUDIT_SENT,
            obj=verification,
            ip=client_ip,
            detail={"organisation": organisation.pk, "recipient": verification.recipient, "sends": verification.sends},
        )
        _send(verification, phone=target, code=code)
    return verification


def _clean_code(code: str) -> str:
    # NFKC: full-width digits typed with a Chinese input method count.
    value = "".join(unicodedata.normalize("NFKC", code or "").split())
    if not re.fullmatch(r"[0-9]{6}", value):
        raise DomainError("renewal_code_format", "请输入短信中的6位数字验证码。", field="code")
    return value


def renewal_verification_confirm(*, token: str, code: str, client_ip: str | None = None) -> Application:
    """The right code creates the renewal application from the waiting
    details; a wrong one counts, and the `MAX_ATTEMPTS`-th voids the row."""
    value = _clean_code(code)
    verification = renewal_verification_get(token=token)
    _require_pending(verification)
    if timezone.now() > verification.expires_at:
        raise DomainError("renewal_code_expired", "验证码已过期,请重新获取验证码。", field="code")
    if not constant_time_equal(_hash(verification.token, value), verification.code_hash):
        _wrong_code(verification, client_ip=client_ip)  # always raises
    with transaction.atomic():
        application = renewal_request(
            organisation_credit_code=verification.organisation.credit_code,
            applicant_name=verification.applicant_name,
            phone=verification.applicant_phone,
            inbound_tracking=verification.inbound_tracking,
        )
        WORKFLOW.transition(
            verification,
            action=VerificationAction.VERIFY,
            actor=None,
            updates={"application": application},
            audit_action=AUDIT_VERIFIED,
            audit_ip=client_ip,
            audit_extra={"organisation": verification.organisation_id, "application": application.pk},
        )
    return application


def _wrong_code(verification: RenewalVerification, *, client_ip: str | None) -> None:
    with transaction.atomic():
        RenewalVerification.objects.filter(pk=verification.pk, status=Status.PENDING).update(attempts=F("attempts") + 1)
        verification.refresh_from_db()
        if verification.status == Status.PENDING and verification.attempts >= MAX_ATTEMPTS:
            WORKFLOW.transition(
                verification,
                action=VerificationAction.VOID,
                actor=None,
                audit_ip=client_ip,
                audit_extra={"attempts": verification.attempts},
            )
        audit_record(
            action=AUDIT_WRONG,
            obj=verification,
            ip=client_ip,
            result=AuditEntry.Result.FAILURE,
            detail={"attempts": verification.attempts, "void": verification.status == Status.VOID},
        )
    if verification.status == Status.VOID:
        raise DomainError("renewal_code_void", "验证码错误次数过多,本次验证已失效,请重新申请。", field="code")
    left = MAX_ATTEMPTS - verification.attempts
    raise DomainError("renewal_code_wrong", f"验证码不正确,还可以再试{left}次。", field="code")


# --- Staff: phones on file --------------------------------------------------------


def organisation_phones_update(
    *, actor: User, organisation: Organisation, legal_representative_phone: str = "", contact_phone: str = ""
) -> Organisation:
    """Window staff record the legal representative's or contact's mobile (from
    the papers the organisation filed); a blank value leaves a phone as it is.
    Audited without the numbers."""
    if not user_can(actor, Capability.WINDOW_WORK):
        raise PermissionDenied()
    changes: dict[str, str] = {}
    for field, value in (("legal_representative_phone", legal_representative_phone), ("contact_phone", contact_phone)):
        if (value or "").strip():
            try:
                changes[field] = normalise_mobile(value)
            except DomainError:
                raise DomainError("phone_invalid", "请填写正确的11位手机号码。", field=field) from None
    if not changes:
        raise DomainError("phones_required", "请至少填写一个手机号码。", field="legal_representative_phone")
    with transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(**changes)
        for field, value in changes.items():
            setattr(organisation, field, value)
        audit_record(
            action=AuditAction.UPDATE, actor=actor, obj=organisation, detail={"phones_on_file": sorted(changes)}
        )
    return organisation
