"""The parties' full data: audited reveal and the agreement PDF (full values
only for the team and REVEAL_PERSONAL_DATA; every export audited)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.masking import mask_id_number
from grassroots.core.models import AuditEntry
from grassroots.mediation.models import PartySide
from grassroots.mediation.personal_data import agreement_pdf, party_reveal
from grassroots.mediation.states import State

from .conftest import RESPONDENT_ID

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, tmp_path) -> str:
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "agreement.pdf"
    path.write_bytes(pdf)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed to check PDFs"
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, check=True, text=True).stdout
    # Headings are letter-spaced; compare without whitespace.
    return "".join(text.split())


def test_team_member_reveals_and_it_is_audited(centre):
    case = centre.case(State.MEDIATING)
    party = case.parties.get(side=PartySide.RESPONDENT)
    values = party_reveal(actor=centre.adviser, party=party, reason="制作调解协议")
    assert values == {"id_number": RESPONDENT_ID, "phone": "13912345678"}
    entry = AuditEntry.objects.get(action="data.reveal")
    assert (
        entry.actor_id == centre.adviser.pk and entry.result == "success" and entry.detail["reason"] == "制作调解协议"
    )


def test_reveal_denied_outside_team_is_audited(centre):
    case = centre.case(State.MEDIATING)
    party = case.parties.get(side=PartySide.RESPONDENT)
    with pytest.raises(PermissionDenied):
        party_reveal(actor=centre.adviser2, party=party, reason="好奇")
    assert AuditEntry.objects.filter(action="data.reveal", result="denied", actor_id=centre.adviser2.pk).exists()
    # The centre's manager (subdistrict staff) is not on the team and does not
    # hold REVEAL_PERSONAL_DATA (ADR 0009: it is the security administrator's).
    with pytest.raises(PermissionDenied):
        party_reveal(actor=centre.manager, party=party, reason="核实身份")
    assert AuditEntry.objects.filter(action="data.reveal", result="denied", actor_id=centre.manager.pk).exists()


def test_reveal_other_subtree_is_404_and_not_audited_as_success(centre):
    party = centre.case(State.MEDIATING).parties.first()
    with pytest.raises(NotFound):
        party_reveal(actor=centre.other_mediator, party=party, reason="核实")
    assert not AuditEntry.objects.filter(action="data.reveal").exists()


def test_agreement_pdf_full_for_team(centre, tmp_path):
    case = centre.case(State.AGREED)
    pdf, full = agreement_pdf(actor=centre.mediator, case=case)
    assert full
    text = pdf_text(pdf, tmp_path)
    assert "人民调解协议书" in text
    assert "王五" in text and RESPONDENT_ID in text
    assert "湖田街道人民调解委员会" in text and "赔偿维修费" in text
    assert case.number in text
    entry = AuditEntry.objects.get(action="data.export")
    assert entry.object_id == str(case.pk) and entry.detail["full_personal_data"] is True


def test_agreement_pdf_masked_for_others(centre, make_user, tmp_path):
    from grassroots.accounts.roles import Role

    case = centre.case(State.AGREED)
    other_mediator_same_area = make_user(Role.MEDIATOR, centre.tree.subdistrict, username="mediator9")
    pdf, full = agreement_pdf(actor=other_mediator_same_area, case=case)
    assert not full
    text = pdf_text(pdf, tmp_path)
    assert RESPONDENT_ID not in text and mask_id_number(RESPONDENT_ID) in text
    assert "已脱敏" in text
    assert AuditEntry.objects.get(action="data.export").detail["full_personal_data"] is False


def test_agreement_pdf_needs_an_agreement_and_scope(centre):
    case = centre.case(State.MEDIATING)
    with pytest.raises(NotFound):
        agreement_pdf(actor=centre.mediator, case=case)
    agreed = centre.case(State.AGREED, title="已达成协议")
    with pytest.raises(NotFound):
        agreement_pdf(actor=centre.other_mediator, case=agreed)
    assert not AuditEntry.objects.filter(action="data.export").exists()
