"""The application form's data (`ApplicationInput`) and its validation:
organisation and applicant fields, and the one-time-notice answers in the
shape of the notice part's `NoticeAnswers` (they decide the material list)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from grassroots.core.errors import DomainError
from grassroots.core.notifications.services import normalise_mobile
from grassroots.core.validators import is_valid_id_number

from ..errors import RegistrationError
from ..models import OrgType, PneForm, Service
from ..selectors.applications import FUNDS_PROOFS
from .notice import PREMISES_CHOICES, NoticeAnswers

NAME_MAX = 50
ORG_NAME_MAX = 100


@dataclass
class ApplicationInput:
    """What the application form collected. Validated by `application_create`."""

    org_name: str
    org_type: str
    applicant_name: str
    applicant_phone: str
    pne_form: str = ""
    field: str = ""
    address: str = ""
    supervising_unit: str = ""
    funds: Decimal | None = None
    business_scope: str = ""
    legal_representative: str = ""
    applicant_id_number: str = ""
    agent_name: str = ""
    # One-time-notice answers (NoticeAnswers fields: needs_supervisor, funds_proof, has_premises …).
    answers: dict[str, Any] = dataclasses.field(default_factory=dict)


def _text(value: Any, *, name: str, label: str, max_length: int, required: bool = False) -> str:
    text = re.sub(r"\s+", " ", str(value or "")).strip()
    if required and not text:
        raise RegistrationError(f"{name}_required", f"请填写{label}。", field=name)
    if len(text) > max_length:
        raise RegistrationError(f"{name}_too_long", f"{label}不能超过{max_length}个字。", field=name)
    return text


def _clean_answers(raw: dict[str, Any] | None, *, org_type: str, pne_form: str) -> dict[str, Any]:
    """The one-time-notice answers in the notice part's shape (NoticeAnswers)."""
    answers = {**(raw or {}), "org_type": org_type, "pne_form": pne_form}
    answers["funds_proof"] = answers.get("funds_proof") or "capital_report"
    if answers["funds_proof"] not in FUNDS_PROOFS:
        raise RegistrationError("funds_proof_invalid", "资金证明方式无效。", field="funds_proof")
    if answers.get("premises") and answers["premises"] not in PREMISES_CHOICES:
        raise RegistrationError("premises_invalid", "住所情况无效。", field="premises")
    for flag in ("needs_supervisor", "has_premises"):
        if flag in answers and not isinstance(answers[flag], bool):
            raise RegistrationError(f"{flag}_invalid", "一次性告知问题的回答无效。", field=flag)
    return NoticeAnswers.from_dict(answers).to_dict()


def clean_input(service: Service, data: ApplicationInput) -> dict[str, Any]:
    org_type = data.org_type or service.org_type
    if org_type not in OrgType.values:
        raise RegistrationError("org_type_invalid", "请选择组织类型。", field="org_type")
    if service.org_type and org_type != service.org_type:
        raise RegistrationError(
            "org_type_mismatch", f"“{service.name}”只适用于{service.get_org_type_display()}。", field="org_type"
        )
    pne_form = data.pne_form or ""
    if pne_form and pne_form not in PneForm.values:
        raise RegistrationError("pne_form_invalid", "民办非企业单位的形式无效。", field="pne_form")
    if org_type != OrgType.PNE:
        pne_form = ""
    try:
        phone = normalise_mobile(data.applicant_phone)
    except DomainError:
        raise RegistrationError(
            "phone_invalid", "请填写正确的11位手机号码,用于接收办理进度短信。", field="applicant_phone"
        ) from None
    id_number = (data.applicant_id_number or "").strip().upper()
    if id_number and not is_valid_id_number(id_number):
        raise RegistrationError("id_number_invalid", "身份证号码不正确,请核对。", field="applicant_id_number")
    funds = data.funds
    if funds is not None:
        try:
            funds = Decimal(funds)
        except (InvalidOperation, TypeError, ValueError):
            raise RegistrationError("funds_invalid", "资金数额格式不正确。", field="funds") from None
        if funds < 0 or funds >= Decimal("1e12"):
            raise RegistrationError("funds_invalid", "资金数额应为不小于0的金额。", field="funds")
    answers = _clean_answers(data.answers, org_type=org_type, pne_form=pne_form)
    return {
        "org_name": _text(data.org_name, name="org_name", label="组织名称", max_length=ORG_NAME_MAX, required=True),
        "org_type": org_type,
        "pne_form": pne_form,
        "field": _text(data.field, name="field", label="业务领域", max_length=50),
        "address": _text(data.address, name="address", label="住所", max_length=200),
        "supervising_unit": _text(data.supervising_unit, name="supervising_unit", label="业务主管单位", max_length=100),
        "funds": funds,
        "business_scope": str(data.business_scope or "").strip()[:2000],
        "legal_representative": _text(
            data.legal_representative, name="legal_representative", label="拟任法定代表人", max_length=NAME_MAX
        ),
        "applicant_name": _text(
            data.applicant_name, name="applicant_name", label="申请人(经办人)姓名", max_length=NAME_MAX, required=True
        ),
        "applicant_phone": phone,
        "applicant_id_number": id_number,
        "agent_name": _text(data.agent_name, name="agent_name", label="代理人姓名", max_length=NAME_MAX),
        "answers": answers,
    }
