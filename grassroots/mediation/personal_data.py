"""The parties' full ID numbers and phones: revealed only through these two
audited functions.

- `party_reveal`: on the case page, for users with `REVEAL_PERSONAL_DATA` (the
  security administrator) or on the case's team; throttled per user with an
  alert on bursts like every reveal (`accounts.reveals`, ADR 0019); every
  attempt is audited (also when denied).
- `agreement_pdf`: the mediation agreement (人民调解协议书). A court confirming
  it (司法确认) needs the parties' full ID numbers, so the PDF carries them for
  the same users; anyone else who may see the case gets a PDF with masked
  values. Every export is audited (`data.export`) with which of the two it was.
  Pages and the API never show full values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from grassroots.accounts.reveals import reveal_attempt
from grassroots.core.audit import Action, audit_record
from grassroots.core.documents import render_pdf
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.masking import mask_id_number, mask_phone

from . import permissions
from .models import Agreement, DisputeCase, Party, PartyKind


def party_reveal(*, actor: Any, party: Party, reason: str = "") -> dict[str, str]:
    case = party.case
    permissions.require_view(actor, case)
    allowed = permissions.can_reveal(actor, case)
    reveal_attempt(actor=actor, allowed=allowed, obj=party, reason=reason)
    if not allowed:
        audit_record(action=Action.REVEAL, actor=actor, obj=party, result="denied", detail={"reason": reason})
        raise PermissionDenied("查看完整个人信息需要相应权限或是本案调解团队成员,本次尝试已记录。")
    audit_record(
        action=Action.REVEAL,
        actor=actor,
        obj=party,
        detail={"fields": ["id_number", "phone"], "reason": reason, "case": case.pk},
    )
    return {"id_number": party.id_number, "phone": party.phone}


@dataclass
class PartyLine:
    party: Party
    id_number: str
    phone: str

    @property
    def identifier_label(self) -> str:
        return "身份证号" if self.party.kind == PartyKind.PERSON else "统一社会信用代码"

    @property
    def identifier(self) -> str:
        return self.id_number if self.party.kind == PartyKind.PERSON else self.party.credit_code


def agreement_pdf(*, actor: Any, case: DisputeCase) -> tuple[bytes, bool]:
    """The agreement as PDF bytes, and whether it carries full personal data."""
    permissions.require_view(actor, case)
    agreement = Agreement.objects.filter(case=case).first()
    if agreement is None:
        raise NotFound("本案没有调解协议,无法生成协议书。")
    full = permissions.can_reveal(actor, case)
    lines = [
        PartyLine(
            party=p,
            id_number=p.id_number if full else mask_id_number(p.id_number),
            phone=p.phone if full else mask_phone(p.phone),
        )
        for p in case.parties.order_by("side", "id")
    ]
    members = list(case.team_members.select_related("user"))
    pdf = render_pdf(
        template_name="mediation/agreement_pdf.html",
        context={
            "title": "人民调解协议书",
            "case": case,
            "agreement": agreement,
            "parties": lines,
            "mediators": [m.user for m in members],
            "committee": case.committee,
            "legal_adviser": case.legal_adviser,
            "full": full,
            "org_name": str(case.committee or "人民调解委员会"),
            "doc_number": case.number,
            "generated_at": timezone.localtime(),
        },
    )
    audit_record(
        action=Action.EXPORT,
        actor=actor,
        obj=case,
        detail={"document": "mediation_agreement", "full_personal_data": full, "parties": len(lines)},
    )
    return pdf, full
