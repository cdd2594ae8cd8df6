"""Registering dispute cases and their parties, and taking over a matter from
the matter lifecycle (说事/办事 → 调解中心)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor, as_user
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError, NotFound, PermissionDenied
from grassroots.core.notifications.services import normalise_mobile
from grassroots.core.scoping import path_in_scope
from grassroots.core.validators import is_valid_id_number, is_valid_uscc
from grassroots.matters.services.events import event_append as matter_event_append
from grassroots.regions.models import Level, Node, Resident

from .. import permissions
from ..errors import MediationError, ReferralConflict, TransitionNotAllowed
from ..models import (
    DisputeCase,
    DisputeReferral,
    DisputeType,
    EventKind,
    Party,
    PartyKind,
    PartySide,
    RiskLevel,
    Source,
)
from ..states import Activity, ReferralState, activity_allowed
from .events import event_append

MAX_AMOUNT = Decimal("999999999999.99")
MAX_PARTIES = 20
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def name_key(name: str) -> str:
    """Normalised name for repeat-dispute matching: NFKC, no whitespace, case-folded."""
    return "".join(unicodedata.normalize("NFKC", name or "").split()).casefold()[:100]


def _next_number(year: int) -> str:
    prefix = f"TJ{year}-"
    last = (
        DisputeCase.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


@dataclass
class PartyInput:
    side: str
    name: str
    kind: str = PartyKind.PERSON
    id_number: str = ""
    phone: str = ""
    address: str = ""
    credit_code: str = ""
    representative: str = ""
    resident: Resident | None = None


@dataclass
class CaseInput:
    """What the registration form or API collected; validated by `dispute_register`."""

    source: str
    title: str
    description: str
    dispute_type: str
    node: Node
    parties: list[PartyInput] = field(default_factory=list)
    source_reference: str = ""
    location: str = ""
    amount: Any = None
    risk_level: str = RiskLevel.LOW
    escalation_risk: bool = False
    risk_note: str = ""


def clean_phone(phone: str, *, prefix: str, field: str = "parties") -> str:
    phone = re.sub(r"\s", "", phone or "")
    if not phone:
        return ""
    if LANDLINE_RE.match(phone):
        return phone
    try:
        return normalise_mobile(phone)
    except DomainError as exc:
        raise MediationError(
            "phone_invalid", f"{prefix}联系电话应为 11 位手机号或带区号的固定电话。", field=field
        ) from exc


def validate_party(data: PartyInput, *, actor: Actor, index: int | None = None) -> PartyInput:
    prefix = f"第 {index} 位当事人:" if index is not None else ""
    if data.side not in PartySide.values:
        raise MediationError("party_side_invalid", f"{prefix}当事方无效。", field="parties")
    if data.kind not in PartyKind.values:
        raise MediationError("party_kind_invalid", f"{prefix}当事人类型无效。", field="parties")
    if data.resident is not None:
        if not path_in_scope(data.resident.path, actor):
            raise NotFound("未找到该居民,或不在您的辖区内。")
        data.name = data.name or data.resident.name
        data.id_number = data.id_number or data.resident.id_number
        data.phone = data.phone or data.resident.phone
    data.name = (data.name or "").strip()
    if not data.name:
        raise MediationError("party_name_required", f"{prefix}请填写姓名或名称。", field="parties")
    if len(data.name) > 100:
        raise MediationError("party_name_too_long", f"{prefix}姓名或名称不能超过 100 个字。", field="parties")
    data.id_number = unicodedata.normalize("NFKC", data.id_number or "").strip().upper()
    data.credit_code = unicodedata.normalize("NFKC", data.credit_code or "").strip().upper()
    if data.kind == PartyKind.PERSON:
        if data.id_number and not is_valid_id_number(data.id_number):
            raise MediationError(
                "id_number_invalid", f"{prefix}身份证号码无效:应为 18 位,出生日期真实,且校验码正确。", field="parties"
            )
        data.credit_code = ""
        data.representative = ""
    else:
        if data.credit_code and not is_valid_uscc(data.credit_code):
            raise MediationError("credit_code_invalid", f"{prefix}统一社会信用代码无效。", field="parties")
        data.id_number = ""
        data.resident = None
    data.phone = clean_phone(data.phone, prefix=prefix)
    data.address = (data.address or "").strip()
    data.representative = (data.representative or "").strip()
    if len(data.address) > 200 or len(data.representative) > 50:
        raise MediationError("party_text_too_long", f"{prefix}地址不超过 200 字,负责人不超过 50 字。", field="parties")
    return data


def _parse_amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise MediationError("amount_invalid", "争议金额应为数字(元)。", field="amount") from exc
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise MediationError("amount_invalid", "争议金额应为 0 到 9999 亿元之间的数字。", field="amount")
    return amount.quantize(Decimal("0.01"))


def _validate_case(data: CaseInput, *, actor: Actor, allow_matter: bool = False) -> CaseInput:
    data.title = (data.title or "").strip()
    data.description = (data.description or "").strip()
    if data.source not in Source.values or (data.source == Source.MATTER and not allow_matter):
        raise MediationError("source_invalid", "来源无效(群众事项请从事项页面转入)。", field="source")
    if not data.title:
        raise MediationError("title_required", "请填写案由,一句话说清是什么纠纷。", field="title")
    if len(data.title) > 100:
        raise MediationError("title_too_long", "案由不能超过 100 个字。", field="title")
    if len(data.description) < 5:
        raise MediationError("description_required", "请把纠纷事实写具体一些(至少 5 个字)。", field="description")
    if len(data.description) > 5000:
        raise MediationError("description_too_long", "纠纷事实不能超过 5000 个字。", field="description")
    if data.dispute_type not in DisputeType.values:
        raise MediationError("type_invalid", "纠纷类型无效。", field="dispute_type")
    if data.risk_level not in RiskLevel.values:
        raise MediationError("risk_invalid", "风险等级无效。", field="risk_level")
    if not path_in_scope(data.node.path, actor):
        raise NotFound("未找到该辖区,或不在您的辖区内。")
    if data.node.level < Level.VILLAGE:
        raise MediationError("node_too_high", "请选择纠纷发生的村/社区或网格。", field="node")
    data.source_reference = (data.source_reference or "").strip()
    data.location = (data.location or "").strip()
    data.risk_note = (data.risk_note or "").strip()
    if len(data.source_reference) > 60 or len(data.location) > 200 or len(data.risk_note) > 200:
        raise MediationError(
            "text_too_long", "来源编号不超过 60 字,具体位置和风险说明不超过 200 字。", field="location"
        )
    data.amount = _parse_amount(data.amount)
    if len(data.parties) > MAX_PARTIES:
        raise MediationError("too_many_parties", f"当事人不能超过 {MAX_PARTIES} 位。", field="parties")
    data.parties = [validate_party(p, actor=actor, index=i) for i, p in enumerate(data.parties, start=1)]
    return data


def require_both_sides(parties: list[Any]) -> None:
    sides = {p.side for p in parties}
    if PartySide.APPLICANT not in sides or PartySide.RESPONDENT not in sides:
        raise MediationError("parties_incomplete", "请至少登记一位申请方和一位被申请方当事人。", field="parties")


def _party_row(case: DisputeCase, data: PartyInput) -> Party:
    return Party(
        case=case,
        side=data.side,
        kind=data.kind,
        name=data.name,
        name_key=name_key(data.name),
        id_number=data.id_number,
        phone=data.phone,
        address=data.address,
        credit_code=data.credit_code,
        representative=data.representative,
        resident=data.resident,
    )


def _create(*, data: CaseInput, actor: Actor, source_matter: Any = None, text: str = "") -> DisputeCase:
    today = timezone.localdate()
    for attempt in range(5):
        try:
            with transaction.atomic():
                case = DisputeCase(
                    number=_next_number(today.year),
                    registered_on=today,
                    source=data.source,
                    source_reference=data.source_reference,
                    source_matter=source_matter,
                    title=data.title,
                    description=data.description,
                    dispute_type=data.dispute_type,
                    node=data.node,
                    location=data.location,
                    amount=data.amount,
                    risk_level=data.risk_level,
                    escalation_risk=data.escalation_risk,
                    risk_note=data.risk_note,
                    created_by=as_user(actor),
                )
                case.save()
                for party in data.parties:
                    _party_row(case, party).save()
                event_append(
                    case=case,
                    kind=EventKind.CREATED,
                    actor=actor,
                    text=text or f"来源:{case.get_source_display()}",
                    to_state=case.state,
                )
                audit_record(action=AuditAction.CREATE, actor=actor, obj=case, detail={"source": case.source})
            return case
        except IntegrityError:
            if source_matter is not None:
                existing = DisputeCase.objects.filter(source_matter=source_matter).first()
                if existing is not None:  # a concurrent transfer of the same matter won
                    return existing
            # Two registrations drew the same number: draw again.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def dispute_register(*, actor: Actor, data: CaseInput) -> DisputeCase:
    """Register a case from any source except a matter (see `dispute_from_matter`)."""
    if not permissions.can_manage(actor):
        raise PermissionDenied("只有调解中心工作人员可以登记案件。")
    data = _validate_case(data, actor=actor)
    require_both_sides(data.parties)
    return _create(data=data, actor=actor)


def dispute_hand_over(*, actor: Actor, data: CaseInput) -> DisputeCase:
    """A department that meets a dispute in its own work (relocation: a
    household that disputes its compensation) hands it to the centre as a
    case the party applied for: those who may refer disputes, or the centre
    itself, register it; the centre then accepts or declines it as usual."""
    if not permissions.can_hand_over(actor):
        raise PermissionDenied("只有网格员、村(社区)工作人员、征迁工作人员和调解中心可以转交纠纷。")
    data.source = Source.WALK_IN
    data = _validate_case(data, actor=actor)
    require_both_sides(data.parties)
    return _create(data=data, actor=actor, text=f"部门转交:{data.source_reference}")


def party_add(*, actor: Actor, case: DisputeCase, data: PartyInput) -> Party:
    permissions.require_manage(actor, case)
    if not activity_allowed(Activity.ADD_PARTY, case.state):
        raise TransitionNotAllowed(str(Activity.ADD_PARTY.label), case.get_state_display())
    data = validate_party(data, actor=actor)
    if case.parties.count() >= MAX_PARTIES:
        raise MediationError("too_many_parties", f"当事人不能超过 {MAX_PARTIES} 位。", field="parties")
    with transaction.atomic():
        party = _party_row(case, data)
        party.save()
        event_append(case=case, kind=EventKind.PARTY, actor=actor, text=f"{party.get_side_display()}:{party.name}")
        audit_record(action=AuditAction.CREATE, actor=actor, obj=party, detail={"case": case.pk})
    return party


def dispute_from_matter(
    *,
    actor: Actor,
    matter: Any,
    dispute_type: str = DisputeType.OTHER,
    risk_level: str = RiskLevel.LOW,
    escalation_risk: bool = False,
    respondent: PartyInput | None = None,
    referral: Any = None,
) -> DisputeCase:
    """Take over a matter as a dispute case (source "matter"): its title,
    description, node and reporter (as the applicant) are copied, and a note
    with the case number is added to the matter's timeline. A matter is
    transferred once; asking again returns the existing case. A matter with a
    pending referral (转介) is taken over by accepting that referral
    (`services.referrals.referral_accept`, which passes it as `referral`)."""
    if not path_in_scope(matter.path, actor):
        raise NotFound("未找到该事项,或不在您的辖区内。")
    if not permissions.can_manage(actor):
        raise PermissionDenied("只有调解中心工作人员可以转入事项。")
    existing = DisputeCase.objects.filter(source_matter=matter).first()
    if existing is not None:
        return existing
    if matter.state == "merged":
        raise MediationError("matter_merged", "该事项已合并到其他事项,请转入主事项。")
    pending = DisputeReferral.objects.filter(matter=matter, state=ReferralState.PENDING)
    if referral is not None:
        pending = pending.exclude(pk=referral.pk)
    if pending.exists():
        raise ReferralConflict("referral_pending", "该事项已转介至调解中心,请在“待接收转介”中接收或退回。")
    parties: list[PartyInput] = []
    if not matter.anonymous and (matter.reporter_name or matter.reporter_resident_id):
        parties.append(
            PartyInput(
                side=PartySide.APPLICANT,
                name=matter.reporter_name,
                phone=matter.reporter_phone or "",
                resident=matter.reporter_resident,
            )
        )
    if respondent is not None and respondent.name.strip():
        parties.append(respondent)
    description = matter.description if len(matter.description) >= 5 else f"{matter.title}。{matter.description}"
    data = CaseInput(
        source=Source.MATTER,
        source_reference=matter.number,
        title=matter.title[:100],
        description=description[:5000],
        dispute_type=dispute_type,
        node=matter.node,
        location=(matter.location or "")[:200],
        risk_level=risk_level,
        escalation_risk=escalation_risk,
        parties=parties,
    )
    try:
        data = _validate_case(data, actor=actor, allow_matter=True)
    except MediationError as exc:
        if exc.field != "parties":
            raise
        # A reporter's details may not pass our stricter checks (an old
        # landline, say): keep the name, leave the phone to be added later.
        for party in parties:
            party.phone = ""
        data = _validate_case(data, actor=actor, allow_matter=True)
    if referral is not None:
        case_text = f"由群众事项 {matter.number} 转入({referral.referred_by} 转介)"
        matter_text = "调解中心已接收转介,案号 {number}"
    else:
        case_text = f"由群众事项 {matter.number} 转入"
        matter_text = "已转一站式矛盾纠纷调解中心,案号 {number}"
    with transaction.atomic():
        case = _create(data=data, actor=actor, source_matter=matter, text=case_text)
        matter_event_append(matter=matter, kind="note", actor=actor, text=matter_text.format(number=case.number))
    return case
