"""One-time notice: questions, answers, condition matching, notes and PDFs."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from grassroots.core.errors import DomainError, NotFound
from grassroots.registration.models import Authority, MaterialRequirement, Service
from grassroots.registration.services import notice
from grassroots.registration.services.notice import (
    NoticeAnswers,
    NoticeAnswersInvalid,
    conditions_match,
    parse_answers,
    questions_for,
    requirements_for,
    validate_conditions,
)
from grassroots.registration.services.seed import seed_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def services() -> dict[str, Service]:
    seed_catalogue()
    return {s.code: s for s in Service.objects.all()}


def codes(service: Service, **answers: str) -> list[str]:
    return [r.code for r in requirements_for(service=service, answers=parse_answers(service=service, data=answers))]


def test_questions_per_service(services):
    assert [q.key for q in questions_for(services["pne-establish"])] == [
        "pne_form",
        "direct",
        "funds_proof",
        "premises",
    ]
    assert [q.key for q in questions_for(services["social-group-establish"])] == ["direct", "funds_proof", "premises"]
    assert [q.key for q in questions_for(services["change"])] == ["direct"]
    assert questions_for(services["renewal"]) == []
    direct = questions_for(services["change"])[0]
    assert direct.label == "是否属于可直接登记的四类组织?"
    assert "行业协会商会类" in direct.help


def test_parse_answers_maps_choices_to_the_situation(services):
    answers = parse_answers(
        service=services["pne-establish"],
        data={"pne_form": "legal", "direct": "no", "funds_proof": "commitment", "premises": "leased"},
    )
    assert answers == NoticeAnswers(
        org_type="pne",
        pne_form="legal",
        needs_supervisor=True,
        funds_proof="commitment",
        has_premises=True,
        premises="leased",
    )
    none_yet = parse_answers(
        service=services["social-group-establish"],
        data={"direct": "yes", "funds_proof": "bank_voucher", "premises": "none"},
    )
    assert none_yet.has_premises is False and none_yet.needs_supervisor is False
    assert NoticeAnswers.from_dict({**answers.to_dict(), "unknown": 1}) == answers


def test_parse_answers_lists_every_missing_or_bad_answer(services):
    with pytest.raises(NoticeAnswersInvalid) as caught:
        parse_answers(service=services["pne-establish"], data={"pne_form": "company", "direct": "yes"})
    errors = caught.value.errors
    assert set(errors) == {"pne_form", "funds_proof", "premises"}
    assert errors["pne_form"] == "“准备以哪种形式举办?”的回答无效,请从选项中选择。"
    assert errors["funds_proof"] == "请回答:资金用什么证明?"
    assert caught.value.message == "请回答下面标红的问题后再查看材料清单。"


def test_pne_legal_person_with_supervisor_and_capital_report(services):
    assert codes(
        services["pne-establish"], pne_form="legal", direct="no", funds_proof="capital_report", premises="owned"
    ) == [
        "application",
        "supervisor-approval",
        "premises-title",
        "capital-report",
        "leaders",
        "legal-representative",
        "charter",
    ]


def test_pne_partnership_registering_directly_with_a_commitment(services):
    assert codes(
        services["pne-establish"], pne_form="partnership", direct="yes", funds_proof="commitment", premises="leased"
    ) == [
        "application",
        "premises-title",
        "premises-use",
        "funds-commitment",
        "leaders",
        "partnership-agreement",
        "charter",
    ]


def test_social_group_with_bank_voucher(services):
    got = codes(services["social-group-establish"], direct="yes", funds_proof="bank_voucher", premises="free_use")
    assert "bank-voucher" in got and "capital-report" not in got and "supervisor-approval" not in got
    assert "premises-use" in got and "founders-leaders" in got


def test_renewal_and_change(services):
    assert codes(services["renewal"]) == ["old-certificate"]
    assert "supervisor-approval" not in codes(services["change"], direct="yes")
    assert "supervisor-approval" in codes(services["deregister"], direct="no")


def test_default_answers_give_the_complete_statutory_list(services):
    pne = services["pne-establish"]
    got = [r.code for r in requirements_for(service=pne, answers=NoticeAnswers(org_type="pne", pne_form="legal"))]
    assert {"supervisor-approval", "capital-report"} <= set(got)


def test_condition_semantics():
    answers = NoticeAnswers(pne_form="legal", needs_supervisor=False)
    assert conditions_match({}, answers)
    assert conditions_match({"pne_form": ["legal", "individual"]}, answers)
    assert not conditions_match({"pne_form": ["partnership"]}, answers)
    assert not conditions_match({"needs_supervisor": True}, answers)
    assert not conditions_match({"needs_supervisor": False, "funds_proof": ["commitment"]}, answers)
    # An administrator's typo lists the material rather than hiding it.
    assert conditions_match({"needs_supervisr": True}, answers)


def test_validate_conditions_rejects_typos_and_bad_values():
    validate_conditions({"funds_proof": ["capital_report"], "needs_supervisor": True})
    with pytest.raises(DomainError, match="needs_supervisr"):
        validate_conditions({"needs_supervisr": True})
    with pytest.raises(DomainError):
        validate_conditions({"premises": []})
    with pytest.raises(DomainError):
        validate_conditions({"premises": [1]})


def test_unknown_condition_key_in_the_catalogue_still_lists_the_material(services):
    pne = services["pne-establish"]
    MaterialRequirement.objects.create(service=pne, code="typo", name="错填条件的材料", conditions={"x": True})
    answers = NoticeAnswers(org_type="pne", pne_form="legal")
    assert "typo" in [r.code for r in requirements_for(service=pne, answers=answers)]


def test_notes_explain_the_situation(services):
    pne = services["pne-establish"]
    answers = parse_answers(
        service=pne, data={"pne_form": "individual", "direct": "yes", "funds_proof": "commitment", "premises": "none"}
    )
    notes = " ".join(notice.notice_notes(service=pne, answers=answers))
    assert "告知承诺" in notes and "撤销登记" in notes
    assert "请先落实场所" in notes
    assert "直接登记" in notes
    assert "合伙、个体形式" in notes
    assert "第三十二条" in notes
    change_notes = notice.notice_notes(service=services["change"], answers=NoticeAnswers())
    assert change_notes[0].startswith("本事项暂不能网上申请,请到窗口办理")
    renewal_notes = " ".join(notice.notice_notes(service=services["renewal"], answers=NoticeAnswers()))
    assert "不见面审批" in renewal_notes


def test_notice_pdf_carries_the_list_address_and_phone(services):
    pne = services["pne-establish"]
    answers = parse_answers(
        service=pne, data={"pne_form": "legal", "direct": "no", "funds_proof": "capital_report", "premises": "owned"}
    )
    context = notice.notice_context(service=pne, answers=answers)
    context.update(qr="", base_url="https://example.org")
    html = render_to_string("registration/public/notice/notice_pdf.html", context)
    authority = Authority.objects.get()
    assert authority.address in html and authority.phone in html
    assert "业务主管单位的批准文件" in html and "可用告知承诺替代" in html
    assert "共 7 项" in html
    assert "/socialorg/notice/templates/legal-rep-form/" in html
    pdf = notice.notice_pdf(service=pne, answers=answers)
    assert pdf.startswith(b"%PDF-")


def test_notice_urls_round_trip(services):
    pne = services["pne-establish"]
    answers = NoticeAnswers(org_type="pne", pne_form="legal", needs_supervisor=False, funds_proof="bank_voucher")
    url = notice.notice_url(service=pne, answers=answers)
    assert url.startswith("/socialorg/notice/?service=pne-establish&")
    assert "direct=yes" in url and "go=1" in url
    assert notice.notice_url(service=pne, answers=answers, pdf=True).startswith("/socialorg/notice/pdf/?")


@pytest.mark.parametrize("key", sorted(notice.DOCUMENT_TEMPLATES))
def test_every_document_template_renders(services, key):
    filename, pdf = notice.document_template_pdf(key=key)
    assert filename == f"{notice.DOCUMENT_TEMPLATES[key].title}.pdf"
    assert pdf.startswith(b"%PDF-")


def test_unknown_document_template():
    with pytest.raises(NotFound):
        notice.document_template_pdf(key="nope")


def test_every_catalogue_template_exists(services):
    used = set(MaterialRequirement.objects.exclude(template="").values_list("template", flat=True))
    assert used <= set(notice.DOCUMENT_TEMPLATES)
    assert len(used) == 7
