"""Issue 14's "Done when" in a real browser (ADR 0045): the station records a
year's income for the villages and computes the company's distribution; the
plan's collective matter is accepted without a human (no 待受理 left
behind); 西张村's convener holds the village meeting on a phone (quorum by
sign-in, the vote recorded on deliberation's page); the station reads the
resolution, publishes the plan, confirms the distribution, and the plan page
links both publications (方案 and 结果), which residents can open. And the
weekly joint meeting's page offers 村级集体增收 topics to put on its list."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.deliberation.tests.setup import make_representatives, publish_rules
from grassroots.matters.models import Matter, ResponsibleUnit, UnitKind
from grassroots.matters.tests.staff_setup import seed_categories
from grassroots.publicity.models import Publication
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import DistributionPlan
from ..states import State
from .support import company_of
from .test_joint_topics import lagging_village, stalled_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    # The flushed browser-test database gets the seeded categories back.
    seed_categories()
    tree = build_small_tree()
    UserFactory(username="jingguan", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="经管站")
    convener = UserFactory(
        username="cunwu", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务"
    )
    make_representatives(tree.village_a, tree.unit_a1, 6, serial_base=800)
    publish_rules(convener, tree.village_a)
    ResponsibleUnit.objects.get_or_create(node=tree.village_a, name="西张村村委会", defaults={"kind": UnitKind.VILLAGE})
    company = company_of(tree.subdistrict, [(tree.village_a, "60"), (tree.village_b, "40")])
    return tree, company


def _record(page, village: str, month: str, source: str, amount: str) -> None:
    page.get_by_test_id("income-new").first.click()
    page.get_by_label("村/社区").select_option(label=village)
    page.get_by_label("月份").fill(month)
    page.get_by_label("收入来源").select_option(label=source)
    page.get_by_label("金额(元)").fill(amount)
    page.get_by_test_id("save").click()


def test_income_to_distribution_through_the_meeting_and_both_publications(page, phone_page, live_server, world):
    tree, _company = world
    # 1. The station records 2025's income of both villages and computes the plan.
    login(page, live_server, "jingguan", DEFAULT_PASSWORD)
    page.get_by_role("link", name="集体经济").first.click()
    _record(page, "西张村", "2025-06", "便民市场", "1200000")
    expect(page.get_by_test_id("income-row")).to_have_count(1)
    _record(page, "店子社区", "2025-09", "租金", "800000")
    expect(page.get_by_test_id("income-row")).to_have_count(2)
    page.goto(f"{live_server.url}/economy/?year=2025")
    expect(page.get_by_test_id("income-total")).to_contain_text("2000000.00")
    page.get_by_test_id("company-row").click()
    page.get_by_test_id("plan-new").click()
    page.get_by_label("年度").fill("2025")
    page.get_by_label("可分配利润(元)").fill("500000.01")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("lines-total")).to_have_text("500000.01")
    plan_url = page.url

    # 2. Submitted: its matter is accepted at once (no 待受理 left for a handler).
    page.get_by_test_id("act-submit").click()
    expect(page.get_by_test_id("plan-state")).to_have_text("提交议事")
    plan = DistributionPlan.objects.get()
    matter = plan.matter
    assert matter is not None
    assert matter.state == "accepted" and matter.category is not None and matter.category.code == "collective-income"

    # 3. 西张村's convener holds the meeting on a phone: agenda, sign-in to quorum, the vote.
    convener = phone_page
    login(convener, live_server, "cunwu", DEFAULT_PASSWORD)
    convener.goto(f"{live_server.url}/deliberation/")
    convener.get_by_test_id("convene-link").click()
    convener.get_by_label("村(社区)").select_option(label=str(tree.village_a.label))
    convener.get_by_label("会议类型").select_option("consultation")
    convener.get_by_label("会议名称").fill("2025年度收益分配村民代表会议")
    start = (timezone.localtime() + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    convener.get_by_label("开始时间").fill(start)
    convener.get_by_label("地点").fill("西张村党群服务中心")
    convener.get_by_role("button", name="召集会议").click()
    convener.get_by_test_id("add-matter").select_option(str(matter.pk))
    convener.get_by_test_id("add-matter-submit").click()
    expect(convener.get_by_test_id("agenda-item")).to_have_count(1)
    convener.get_by_test_id("open-meeting").click()
    quorum = convener.get_by_test_id("quorum")
    expect(quorum).to_contain_text("未达法定人数")
    for n in range(4):
        convener.get_by_role("button", name="签到", exact=True).first.click()
        expect(quorum).to_contain_text(f"到会 {n + 1} / 应到 6 人")
    expect(quorum).to_contain_text("已达法定人数")
    form = convener.get_by_test_id("vote-form").first
    form.get_by_label("决议内容").fill("同意按持股比例分配2025年度收益。")
    form.get_by_label("赞成").fill("4")
    form.get_by_label("反对").fill("0")
    form.get_by_label("责任单位").select_option(label="西张村村委会")
    form.get_by_label("承办人").select_option(label="李村务(村/社区工作人员 · 西张村)")
    form.get_by_role("button", name="记录决议").click()
    expect(convener.get_by_test_id("resolution").first).to_contain_text("通过")
    convener.screenshot(path=artifact("economy_plan_meeting_phone.png"), full_page=True)

    # 4. The station reads the resolution, publishes the plan and confirms the distribution.
    page.goto(plan_url)
    page.get_by_test_id("read-resolution").click()
    expect(page.get_by_test_id("plan-state")).to_have_text("议事通过")
    expect(page.get_by_test_id("resolution")).to_contain_text("赞成 4")
    page.get_by_test_id("act-publish").click()
    expect(page.get_by_test_id("plan-state")).to_have_text("公示")
    expect(page.get_by_test_id("publication-plan")).to_be_visible()
    expect(page.get_by_test_id("publication-result")).to_have_count(0)
    page.get_by_test_id("act-distribute").click()
    expect(page.get_by_test_id("plan-state")).to_have_text("已分配")
    expect(page.get_by_test_id("publication-plan")).to_contain_text("收益分配方案公示")
    expect(page.get_by_test_id("publication-result")).to_contain_text("收益分配结果公示")
    page.screenshot(path=artifact("economy_plan_publications.png"), full_page=True)
    assert DistributionPlan.objects.get().state == State.DISTRIBUTED
    assert set(Publication.objects.filter(matter=matter).values_list("kind", flat=True)) == {"plan", "result"}
    assert Matter.objects.get(pk=matter.pk).state == "resolved"

    # 5. The result's publication opens with each village's amount.
    page.get_by_test_id("publication-result").get_by_role("link").click()
    expect(page.locator("body")).to_contain_text("西张村:实际分配 300000.01 元")
    expect(page.locator("body")).to_contain_text("店子社区:实际分配 200000.00 元")


def test_weekly_joint_meeting_takes_a_collective_income_topic(page, live_server, world):
    tree, _company = world
    lagging_village(tree)
    stalled_project(tree)
    login(page, live_server, "jingguan", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/deliberation/weekly/")
    panel = page.get_by_test_id("topics-economy")
    expect(panel).to_contain_text("村级集体增收议题")
    expect(panel.get_by_test_id("topic")).to_have_count(2)
    page.screenshot(path=artifact("weekly_collective_income_topics.png"), full_page=True)
    panel.get_by_test_id("topic").filter(has_text="收入滞后").get_by_test_id("take-topic").click()
    expect(page.locator(".alert-success, .alert-info").first).to_contain_text("已列入联席会议")
    expect(panel.get_by_test_id("topic-listed")).to_have_count(1)
    flagged = Matter.objects.get(joint_meeting_requested_at__isnull=False)
    assert flagged.node_id == tree.village_a.pk and flagged.state == "accepted"
