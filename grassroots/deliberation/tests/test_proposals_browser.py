"""议题建议 in a real browser: residents propose topics from a phone on the
public page (bad input explained in Chinese), village staff accept one and
decline another with a reason on the proposals page, and the accepted one
is put on a meeting's agenda."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import AgendaItem, TopicProposal
from .setup import convene, publish_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROAD = "村口道路坑洼需要修补"
DANCE = "广场舞音响晚上十点后停止"


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


def propose(page, *, village: str, title: str, description: str, name: str, phone: str = "") -> None:
    page.get_by_label("村(社区)").select_option(label=village)
    page.get_by_label("议题", exact=True).fill(title)
    page.get_by_label("具体内容").fill(description)
    page.get_by_label("您的姓名").fill(name)
    page.get_by_label("手机号(选填,便于回复)").fill(phone)
    page.get_by_role("button", name="提交").click()


def test_residents_propose_and_staff_moderate(page, phone_page, live_server, tree):
    staff = UserFactory(username="village", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    UserFactory(username="community", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_b)  # served (ADR 0021)
    publish_rules(staff, tree.village_a)  # residents may propose
    meeting = convene(
        staff, tree.village_a, title="十二月协商议事会", starts_at=timezone.now() + datetime.timedelta(days=2)
    )

    resident = phone_page
    resident.goto(f"{live_server.url}/deliberation/public/propose/")
    expect(resident.get_by_role("heading", name="提出议题建议")).to_be_visible()
    # 店子社区 has no rules yet: refused, with the reason.
    propose(resident, village="店子社区", title=ROAD, description="村口道路坑洼,雨天积水。", name="王大妈")
    expect(resident.locator(".invalid-feedback")).to_contain_text("该村(社区)尚未发布议事规则,暂不接受议题建议。")
    assert not TopicProposal.objects.exists()
    # A wrong phone number is explained; what was typed stays.
    propose(
        resident,
        village="西张村",
        title=ROAD,
        description="村口道路坑洼,雨天积水,电动车经过容易摔倒。",
        name="王大妈",
        phone="1380000",
    )
    expect(resident.locator(".invalid-feedback")).to_contain_text("手机号格式不正确。")
    expect(resident.get_by_label("具体内容")).to_have_value("村口道路坑洼,雨天积水,电动车经过容易摔倒。")
    resident.screenshot(path=artifact("h6_propose_error_phone.png"), full_page=True)
    assert not TopicProposal.objects.exists()
    resident.get_by_label("手机号(选填,便于回复)").fill("13800001234")
    resident.get_by_role("button", name="提交").click()
    expect(resident.locator(".alert-success")).to_contain_text("议题建议已提交,村(居)委会审核后将列入议事会议程。")
    propose(
        resident, village="西张村", title=DANCE, description="广场舞音响声音太大,影响老人和孩子休息。", name="李大爷"
    )
    expect(resident.locator(".alert-success")).to_be_visible()
    assert resident.evaluate("document.documentElement.scrollWidth") <= 390
    road = TopicProposal.objects.get(title=ROAD)
    assert road.village_id == tree.village_a.pk and road.proposer_phone == "13800001234"
    assert road.status == TopicProposal.Status.PENDING

    login(page, live_server, "village", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/deliberation/")
    page.get_by_test_id("deliberation-nav").get_by_role("link", name="议题建议").click()
    road_row = page.locator(".list-group-item").filter(has_text=ROAD)
    dance_row = page.locator(".list-group-item").filter(has_text=DANCE)
    expect(road_row).to_contain_text("待审核")
    expect(road_row).to_contain_text("西张村 · 王大妈")
    page.screenshot(path=artifact("h6_proposals.png"), full_page=True)

    # Declining needs a reason.
    dance_row.get_by_role("button", name="不予采纳").click()
    expect(page.locator(".alert-danger")).to_contain_text("不予采纳时请说明理由。")
    assert TopicProposal.objects.get(title=DANCE).status == TopicProposal.Status.PENDING
    dance_row.get_by_label("审核意见(不予采纳时必填)").fill("已纳入《文明公约》,由网格员劝导。")
    dance_row.get_by_role("button", name="不予采纳").click()
    expect(page.locator(".alert-success")).to_contain_text("已审核。")
    expect(dance_row).to_contain_text("未采纳")
    expect(dance_row).to_contain_text("审核意见:已纳入《文明公约》,由网格员劝导。")
    road_row.get_by_role("button", name="采纳", exact=True).click()
    expect(road_row).to_contain_text("已采纳")
    assert TopicProposal.objects.get(title=ROAD).status == TopicProposal.Status.ACCEPTED
    assert TopicProposal.objects.get(title=DANCE).status == TopicProposal.Status.REJECTED

    # The accepted topic is offered on the meeting page and put on the agenda.
    page.goto(f"{live_server.url}/deliberation/")
    page.get_by_role("link", name=re.compile("十二月协商议事会")).click()
    proposals = page.get_by_label("已采纳的居民议题建议")
    expect(proposals.locator("option")).to_have_count(1)
    expect(proposals).to_contain_text(f"{ROAD}(王大妈)")
    proposals.locator("xpath=ancestor::form").get_by_role("button", name="列入议程").click()
    expect(page.locator(".alert-success")).to_contain_text("议题已列入议程。")
    expect(page.get_by_test_id("agenda-item")).to_contain_text(ROAD)
    expect(page.get_by_label("已采纳的居民议题建议")).to_have_count(0)  # nothing left to add
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.proposal_id == road.pk and item.title == ROAD
