"""Reads about registered organisations and their certificates: the public
directory (登记目录), verification by credit code, and the window staff's
organisation and renewal lists.

Public reads show what a certificate shows (name, credit code, type, field,
address, legal representative, business scope, supervising unit, funds,
validity) and nothing else: no applicant names, phones or ID numbers."""

from __future__ import annotations

import datetime
import enum
import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from grassroots.core.errors import NotFound
from grassroots.core.validators import USCC_PATTERN, is_valid_uscc_strict

from ..models import Application, Certificate, Organisation, OrgType, ServiceKind
from ..states import OPEN_STATES, State

QUERY_MAX = 50


@dataclass(frozen=True)
class DirectoryFilters:
    name: str = ""
    kind: str = ""
    field: str = ""
    status: str = ""

    @classmethod
    def clean(cls, *, name: str = "", kind: str = "", field: str = "", status: str = "") -> DirectoryFilters:
        """Unknown kinds and statuses are ignored rather than refused: a stale
        link still lists something."""
        return cls(
            name=(name or "").strip()[:QUERY_MAX],
            kind=kind if kind in OrgType.values else "",
            field=(field or "").strip()[:QUERY_MAX],
            status=status if status in Organisation.Status.values else "",
        )


def _with_current_certificate(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return queryset.prefetch_related(
        Prefetch(
            "certificates",
            queryset=Certificate.objects.filter(status=Certificate.Status.VALID),
            to_attr="valid_certificates",
        )
    )


def directory_search(*, filters: DirectoryFilters) -> QuerySet[Organisation]:
    """Organisations matching the filters, by name. A name query is a plain
    substring match, so two Chinese characters ("文化") find every
    organisation whose name contains them."""
    queryset = Organisation.objects.all()
    if filters.name:
        queryset = queryset.filter(Q(name__icontains=filters.name) | Q(credit_code=filters.name.upper()))
    if filters.kind:
        queryset = queryset.filter(org_type=filters.kind)
    if filters.field:
        queryset = queryset.filter(field=filters.field)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return _with_current_certificate(queryset.order_by("name", "id"))


def directory_fields() -> list[str]:
    """The fields (业务领域) in use, for the filter."""
    return sorted(set(Organisation.objects.exclude(field="").values_list("field", flat=True)))


def organisation_by_credit_code(*, credit_code: str) -> Organisation:
    code = (credit_code or "").strip().upper()
    organisation = _with_current_certificate(Organisation.objects.filter(credit_code=code)).first()
    if organisation is None:
        raise NotFound("未找到该统一社会信用代码对应的社会组织。")
    return organisation


def certificate_chain(*, organisation: Organisation) -> list[Certificate]:
    """Every certificate of the organisation, newest first (renewal chain:
    each one `replaces` the one after it)."""
    return list(
        organisation.certificates.select_related("replaces", "application__service").order_by("-issued_on", "-id")
    )


def current_certificate(organisation: Organisation) -> Certificate | None:
    valid = getattr(organisation, "valid_certificates", None)
    if valid is not None:
        return valid[0] if valid else None
    return organisation.certificates.filter(status=Certificate.Status.VALID).first()


# --- Verification -----------------------------------------------------------------


class Verdict(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REPLACED = "replaced"
    REVOKED = "revoked"
    DEREGISTERED = "deregistered"
    NO_CERTIFICATE = "no_certificate"
    TOKEN_MISMATCH = "token_mismatch"  # noqa: S105 - a verdict, not a secret
    NOT_FOUND = "not_found"
    BAD_FORMAT = "bad_format"
    BAD_CHECK = "bad_check"


VERDICT_LABELS = {
    Verdict.VALID: "有效",
    Verdict.EXPIRED: "已过有效期",
    Verdict.REPLACED: "已换发(此证书已作废)",
    Verdict.REVOKED: "已撤销登记",
    Verdict.DEREGISTERED: "已注销",
    Verdict.NO_CERTIFICATE: "无有效证书",
    Verdict.TOKEN_MISMATCH: "证书核验码不符,可能不是本机关制发的证书",
    Verdict.NOT_FOUND: "未找到",
    Verdict.BAD_FORMAT: "格式不正确",
    Verdict.BAD_CHECK: "校验码不正确",
}
VERDICT_OK = frozenset({Verdict.VALID})


@dataclass(frozen=True)
class Verification:
    code: str
    verdict: Verdict
    organisation: Organisation | None = None
    certificate: Certificate | None = None
    current: Certificate | None = None  # the valid certificate, when the checked one was replaced

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def ok(self) -> bool:
        return self.verdict in VERDICT_OK

    @property
    def message(self) -> str:
        if self.verdict == Verdict.BAD_FORMAT:
            return "统一社会信用代码应为 18 位数字或大写字母,请核对。"
        if self.verdict == Verdict.BAD_CHECK:
            return "校验码不正确:这不是一个有效的统一社会信用代码,请核对是否输错。"
        if self.verdict == Verdict.NOT_FOUND:
            return "本登记管理机关没有该统一社会信用代码的登记记录。"
        return self.label


def normalise_code(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()[:40]


def check_code_format(code: str) -> Verdict | None:
    """BAD_FORMAT or BAD_CHECK for a code that cannot be a credit code, before
    anything is looked up; None when both check characters are right."""
    if not USCC_PATTERN.match(code):
        return Verdict.BAD_FORMAT
    if not is_valid_uscc_strict(code):
        return Verdict.BAD_CHECK
    return None


def verify_credit_code(*, code: str, token: str = "", today: datetime.date | None = None) -> Verification:
    """What the public verification page says about `code`. With `token`
    (from a certificate's QR code) that very certificate is checked; without,
    the organisation's current one."""
    code = normalise_code(code)
    bad = check_code_format(code)
    if bad is not None:
        return Verification(code, bad)
    today = today or timezone.localdate()
    organisation = Organisation.objects.filter(credit_code=code).first()
    if organisation is None:
        return Verification(code, Verdict.NOT_FOUND)
    certificates = list(organisation.certificates.order_by("-issued_on", "-id"))
    current = next((c for c in certificates if c.status == Certificate.Status.VALID), None)
    if token:
        certificate = next((c for c in certificates if c.verify_token == token[:40]), None)
        if certificate is None:
            return Verification(code, Verdict.TOKEN_MISMATCH, organisation, None, current)
    else:
        certificate = current or (certificates[0] if certificates else None)
    if organisation.status == Organisation.Status.REVOKED:
        return Verification(code, Verdict.REVOKED, organisation, certificate, None)
    if organisation.status == Organisation.Status.DEREGISTERED:
        return Verification(code, Verdict.DEREGISTERED, organisation, certificate, None)
    if certificate is None:
        return Verification(code, Verdict.NO_CERTIFICATE, organisation)
    if certificate.status == Certificate.Status.REPLACED:
        return Verification(code, Verdict.REPLACED, organisation, certificate, current)
    if certificate.status == Certificate.Status.REVOKED:
        return Verification(code, Verdict.REVOKED, organisation, certificate, None)
    if certificate.valid_until < today:
        return Verification(code, Verdict.EXPIRED, organisation, certificate, current)
    return Verification(code, Verdict.VALID, organisation, certificate, current)


# --- Staff lists --------------------------------------------------------------------


def organisations_for_staff(*, filters: DirectoryFilters) -> QuerySet[Organisation]:
    return directory_search(filters=filters)


def renewals_waiting() -> dict[str, QuerySet[Application]]:
    """Mail renewals waiting for the old certificate to arrive (``mail_in``)
    and issued ones whose new certificate is still to be mailed (``mail_out``)."""
    base = Application.objects.filter(service__kind=ServiceKind.RENEWAL).exclude(inbound_tracking="")
    base = base.select_related("service", "organisation").order_by("created_at", "id")
    return {
        "mail_in": base.filter(state__in=OPEN_STATES, old_certificate_received_at__isnull=True),
        "in_progress": base.filter(state__in=OPEN_STATES, old_certificate_received_at__isnull=False),
        "mail_out": base.filter(state=State.ISSUED, mailed_at__isnull=True),
    }
