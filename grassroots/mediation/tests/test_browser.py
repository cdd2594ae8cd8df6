"""The mediation centre in a real browser: a police-referred case from
registration to an agreement (PDF) and a follow-up visit; a legal adviser's
consultation; scoping holds in the UI."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.core.models import AuditEntry
from grassroots.mediation.models import Consultation, DisputeCase, FollowUp
from grassroots.mediation.states import State
from grassroots.testing.browser import login
from grassroots.testing.factories import DEFAULT_PASSWORD, build_small_tree

from .conftest import RESPONDENT_ID, build_centre, make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


@pytest.fixture
def centre(tree):
    return build_centre(tree)


def _open(page, name):
    """Open an action card (a <details>) on the case page and return it."""
    card = page.get_by_test_id(f"action-{name}")
    if card.get_attribute("open") is None:
        card.locator("summary").click()
    return card


def test_police_referred_case_to_agreement_and_follow_up(page, live_server, centre, tmp_path):
    login(page, live_server, "street", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/mediation/")
    page.get_by_test_id("register-link").click()

    page.locator("#id_source").select_option("police")
    page.get_by_label("来源编号").fill("张公湖田警移〔2026〕017号")
    page.get_by_label("案由").fill("楼上漏水殃及楼下,双方发生推搡")
    page.get_by_label("纠纷事实").fill("楼上卫生间防水层老化渗漏至楼下,双方交涉时发生推搡,派出所出警后移交调解中心。")
    page.get_by_label("纠纷类型").select_option("neighbour")
    page.get_by_label("发生地").select_option(label="西张村 / 第1网格")
    page.get_by_label("争议金额(元)").fill("3000")
    page.get_by_label("风险等级").select_option("medium")
    parties = page.get_by_test_id("party-form")
    first, second = parties.nth(0), parties.nth(1)
    first.get_by_label("姓名或名称").fill("张三")
    first.get_by_label("联系电话").fill("13800000000")
    second.get_by_label("姓名或名称").fill("王五")
    second.get_by_label("身份证号").fill(RESPONDENT_ID)
    second.get_by_label("联系电话").fill("13912345678")
    page.get_by_test_id("submit-register").click()

    expect(page.get_by_test_id("case-state")).to_have_text("待受理")
    case = DisputeCase.objects.get()
    assert case.source == "police" and case.parties.count() == 2
    assert RESPONDENT_ID not in page.content()  # masked on the page

    _open(page, "accept").get_by_test_id("submit-accept").click()
    expect(page.get_by_test_id("case-state")).to_have_text("已受理")
    expect(page.get_by_test_id("due-date")).to_be_visible()

    team = _open(page, "team")
    assert team.get_by_label("法律顾问").input_value() == str(centre.adviser.pk)  # the grid's adviser is proposed
    team.get_by_label("刘调解").check()
    team.get_by_label("王调解").check()
    team.get_by_test_id("submit-team").click()
    expect(page.get_by_test_id("notice")).to_contain_text("调解团队已指派")
    expect(page.get_by_test_id("team")).to_contain_text("刘调解(主调)")

    _open(page, "session").get_by_test_id("submit-session").click()
    expect(page.get_by_test_id("session-status")).to_have_text("已安排")
    record = page.get_by_test_id("record-session")
    record.locator("summary").click()
    record.get_by_label("调解记录").fill("双方到场陈述,调解员释明《民法典》相邻关系规定,双方同意协商赔偿。")
    record.get_by_label("其他参加人").fill("网格员王网格")
    record.get_by_test_id("submit-record").click()
    expect(page.get_by_test_id("case-state")).to_have_text("调解中")
    expect(page.get_by_test_id("session-status")).to_have_text("已调解")

    agree = _open(page, "agree")
    agree.get_by_label("协议内容").fill(
        "一、王五于十日内赔偿张三维修费用二千元;\n二、王五负责修复卫生间防水层;\n三、双方再无其他争议。"
    )
    agree.get_by_label("履行方式、地点").fill("银行转账,在调解中心交付")
    agree.get_by_test_id("submit-agree").click()
    expect(page.get_by_test_id("case-state")).to_have_text("达成协议")

    with page.expect_download() as download_info:
        page.get_by_test_id("agreement-pdf").click()
    pdf_path = tmp_path / "agreement.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed"
    text = "".join(
        subprocess.run([pdftotext, str(pdf_path), "-"], capture_output=True, check=True, text=True).stdout.split()
    )
    assert "人民调解协议书" in text and "王五负责修复卫生间防水层" in text
    # The manager is not on the team and does not hold REVEAL_PERSONAL_DATA (the
    # security administrator's, ADR 0009): masked; the team prints the full one for the court.
    assert RESPONDENT_ID not in text and RESPONDENT_ID[:3] + "*" * 13 + RESPONDENT_ID[-2:] in text
    assert AuditEntry.objects.filter(action="data.export", object_id=str(case.pk)).count() == 1

    follow = _open(page, "follow-up")
    follow.get_by_label("回访方式").select_option("visit")
    follow.get_by_label("履行情况").select_option("performed")
    follow.get_by_label("回访情况").fill("上门回访,赔偿款已到账,防水已修复,双方关系缓和。")
    follow.get_by_test_id("submit-follow-up").click()
    expect(page.get_by_test_id("case-state")).to_have_text("回访中")
    expect(page.get_by_test_id("follow-up")).to_contain_text("已履行")
    case.refresh_from_db()
    assert case.state == State.FOLLOWING_UP and FollowUp.objects.filter(case=case).count() == 1


def test_legal_adviser_logs_a_consultation_for_their_grid(page, live_server, centre):
    login(page, live_server, "lawyer", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/mediation/grids/")
    expect(page.get_by_test_id("my-grids")).to_contain_text("西张村 / 第1网格")
    page.locator("#id_grid").select_option(label="西张村 / 第1网格")
    page.get_by_label("咨询类别").select_option("labour")
    page.get_by_label("咨询人姓名").fill("王秀兰")
    page.get_by_label("咨询事项").fill("未签劳动合同如何维权")
    page.get_by_label("解答意见").fill("可主张未签劳动合同的二倍工资,建议先协商,协商不成申请劳动仲裁。")
    page.get_by_test_id("submit-consultation").click()
    expect(page.get_by_test_id("recent-consultations")).to_contain_text("未签劳动合同如何维权")
    consultation = Consultation.objects.get()
    assert consultation.adviser == centre.adviser and consultation.consulted_on == timezone.localdate()
    page.get_by_role("link", name="全部 →").click()
    table = page.get_by_test_id("consultation-table")
    expect(table).to_contain_text("王**")
    assert "王秀兰" not in table.inner_text()


def test_mediator_of_another_subtree_gets_404(page, live_server, centre):
    case = make_case(centre, State.MEDIATING)
    login(page, live_server, "mediator_b", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/mediation/")
    expect(page.get_by_test_id("empty")).to_be_visible()
    response = page.goto(f"{live_server.url}/mediation/cases/{case.pk}/")
    assert response is not None and response.status == 404
    response = page.goto(f"{live_server.url}/mediation/cases/{case.pk}/agreement.pdf")
    assert response is not None and response.status == 404


def test_statistics_page_draws_charts(page, live_server, centre):
    make_case(centre, State.CLOSED)
    make_case(centre, State.FAILED, title="调解不成", source="court")
    login(page, live_server, "street", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/mediation/stats/")
    expect(page.get_by_test_id("total")).to_have_text("2")
    expect(page.locator("#chart-months svg")).to_have_count(1)
    expect(page.locator("#chart-outcomes svg")).to_have_count(1)
    expect(page.get_by_test_id("repeat-parties")).to_contain_text("张*")
