"""The economy pages in a real browser: the subdistrict's economic-management
station records a year's income, computes the company's distribution and
sees each village's amount summing to the total, submits it to 西张村's
meeting, reads the meeting's resolution, publishes it through 晒事 and marks
it 已分配; village staff record their income at phone
width."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.matters.tests.staff_setup import seed_categories
from grassroots.publicity.models import Publication
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import DistributionPlan, IncomeEntry
from ..states import State
from .support import company_of, vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    # A browser test's database is flushed between tests: the seeded categories
    # (the plan's 集体收益分配 among them) are put back for this one.
    seed_categories()
    tree = build_small_tree()
    UserFactory(username="jingguan", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="经管站")
    UserFactory(username="cunwu", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务")
    company = company_of(tree.subdistrict, [(tree.village_a, "66.6666"), (tree.village_b, "33.3334")])
    return tree, company


def _record(page, village: str, month: str, source: str, amount: str) -> None:
    page.get_by_test_id("income-new").first.click()
    page.get_by_label("村/社区").select_option(label=village)
    page.get_by_label("月份").fill(month)
    page.get_by_label("收入来源").select_option(label=source)
    page.get_by_label("金额(元)").fill(amount)
    page.get_by_test_id("save").click()


def test_station_records_income_and_distributes_profit(page, live_server, world):
    tree, company = world
    login(page, live_server, "jingguan", DEFAULT_PASSWORD)
    page.get_by_role("link", name="集体经济").first.click()
    expect(page.get_by_test_id("village-row")).to_have_count(2)
    _record(page, "西张村", "2025-01", "便民市场", "85000.5")
    expect(page.get_by_test_id("income-row")).to_have_count(1)
    _record(page, "店子社区", "2025-02", "电商快递驿站", "12000")
    expect(page.get_by_test_id("income-row")).to_have_count(2)
    # A typo is kept with its error and nothing is written.
    _record(page, "西张村", "2025-03", "租金", "-3")
    expect(page.get_by_test_id("field-error")).to_contain_text("金额不能小于零")
    expect(page.get_by_label("金额(元)")).to_have_value("-3")
    assert IncomeEntry.objects.count() == 2

    page.goto(f"{live_server.url}/economy/?year=2025")
    expect(page.get_by_test_id("income-total")).to_contain_text("97000.50")
    # The chart's bars click through to the village's rows.
    expect(page.locator("#chart-income svg")).to_be_visible()
    page.screenshot(path=artifact("economy_overview.png"), full_page=True)
    box = page.locator("#chart-income").bounding_box()
    assert box is not None
    # 西张村's bar: the first category's left half, low above the axis.
    page.mouse.click(box["x"] + 72 + (box["width"] - 84) / 4 - 10, box["y"] + box["height"] - 52)
    expect(page.get_by_test_id("income-row")).to_have_count(1)
    expect(page.get_by_test_id("income-row")).to_contain_text("西张村")
    page.goto(f"{live_server.url}/economy/?year=2025")
    page.get_by_test_id("company-row").click()
    expect(page.get_by_test_id("company-name")).to_have_text(company.name)
    page.get_by_test_id("plan-new").click()
    page.get_by_label("年度").fill("2025")
    page.get_by_label("可分配利润(元)").fill("2100000.01")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("line")).to_have_count(2)
    amounts = [Decimal(t) for t in page.get_by_test_id("line-amount").all_inner_texts()]
    assert sum(amounts) == Decimal("2100000.01")
    expect(page.get_by_test_id("lines-total")).to_have_text("2100000.01")
    expect(page.get_by_test_id("plan-state")).to_have_text("草拟")
    page.screenshot(path=artifact("economy_plan.png"), full_page=True)

    page.get_by_test_id("act-submit").click()
    expect(page.get_by_test_id("plan-state")).to_have_text("提交议事")
    expect(page.get_by_test_id("matter")).to_contain_text("西张村")
    page.get_by_test_id("read-resolution").click()
    expect(page.locator(".alert-danger")).to_contain_text("尚未")
    # 西张村's meeting puts the plan's matter on its agenda and votes (deliberation's own pages).
    plan = DistributionPlan.objects.get()
    vote(tree, User.objects.get(username="cunwu"), plan, votes_for=3, against=0)
    page.get_by_test_id("read-resolution").click()
    expect(page.get_by_test_id("plan-state")).to_have_text("议事通过")
    expect(page.get_by_test_id("resolution")).to_contain_text("赞成 3")
    page.get_by_test_id("act-publish").click()
    expect(page.get_by_test_id("plan-state")).to_have_text("公示")
    assert Publication.objects.filter(matter=plan.matter, kind="plan").exists()
    page.get_by_test_id("act-distribute").click()
    expect(page.get_by_test_id("plan-state")).to_have_text("已分配")
    expect(page.get_by_test_id("actions")).to_have_count(0)
    assert DistributionPlan.objects.get().state == State.DISTRIBUTED


def test_village_staff_record_income_at_phone_width(phone_page, live_server, world):
    page = phone_page
    login(page, live_server, "cunwu", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/economy/income/")
    expect(page.get_by_test_id("empty")).to_be_visible()
    _record(page, "西张村", "2026-01", "便民市场", "90000")
    expect(page.get_by_test_id("income-row")).to_have_count(1)
    page.screenshot(path=artifact("economy_income_phone.png"), full_page=True)
    entry = IncomeEntry.objects.get()
    assert entry.amount == Decimal("90000.00") and entry.created_by is not None


def test_station_keeps_the_key_project_ledger(page, live_server, world):
    """A city project with a plot whose stages advance in parallel, and a
    tenant taken from 意向 to 入驻."""
    login(page, live_server, "jingguan", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/economy/")
    page.get_by_test_id("tab-projects").click()
    expect(page.get_by_test_id("empty")).to_be_visible()
    page.get_by_test_id("project-new").click()
    page.get_by_label("项目名称").fill("五金机电城")
    page.get_by_label("级别").select_option("city")
    page.get_by_label("阶段").select_option("building")
    page.get_by_label("存在问题").fill("土地腾空进度滞后")
    page.get_by_label("包挂领导").fill("街道党工委书记")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("project-name")).to_have_text("五金机电城")
    page.get_by_label("地块名称").fill("西张北地块")
    page.get_by_label("面积(亩)").fill("0")
    page.get_by_test_id("plot-save").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("面积应大于零")
    page.get_by_label("面积(亩)").fill("120.5")
    page.get_by_test_id("plot-save").click()
    expect(page.get_by_test_id("plot-row")).to_have_count(1)
    form = page.get_by_test_id("stage-form")
    form.get_by_label("环节").select_option("signed")
    form.get_by_label("完成日期").fill("2026-12-01")
    form.get_by_test_id("stage-save").click()
    expect(page.get_by_test_id("stage-signed")).to_contain_text("12-01")
    expect(page.get_by_test_id("stage-vacated")).to_contain_text("未完成")
    page.get_by_label("企业名称").fill("淄博鲁中机电有限公司")
    page.get_by_label("面积(平方米)").fill("2600")
    page.get_by_label("年租金(元)").fill("156000")
    page.get_by_test_id("tenant-save").click()
    expect(page.get_by_test_id("tenant-state")).to_have_text("意向")
    page.get_by_test_id("tenant-sign").click()
    expect(page.get_by_test_id("tenant-state")).to_have_text("签约")
    page.get_by_test_id("tenant-settle").click()
    expect(page.get_by_test_id("tenant-state")).to_have_text("入驻")
    expect(page.get_by_test_id("tenant-area")).to_contain_text("入驻 2600.00 平方米")
    page.goto(f"{live_server.url}/economy/projects/?level=city")
    expect(page.get_by_test_id("project-row")).to_have_count(1)


def test_station_tracks_milestones_and_the_progress_chart(page, live_server, world):
    """A park phase registered with owner, budget and funding; a milestone
    refused out of order, two added, the first reached: the project stands at
    its progress, and the overview's bar for it opens the project."""
    login(page, live_server, "jingguan", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/economy/projects/new/")
    page.get_by_label("项目名称").fill("卫星产业园一期")
    page.get_by_label("级别").select_option("district")
    page.get_by_label("阶段").select_option("building")
    page.get_by_label("类别").select_option("park")
    page.get_by_label("责任单位").fill("湖田街道经管站")
    page.get_by_label("总投资(元)").fill("38000000")
    page.get_by_label("资金来源").fill("专项债券、平台公司自筹")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("budget")).to_have_text("38000000.00 元")
    expect(page.get_by_test_id("milestones-empty")).to_be_visible()
    form = page.get_by_test_id("milestone-form")
    form.get_by_label("节点名称").fill("立项批复")
    form.get_by_label("计划日期").fill("2026-03-01")
    form.get_by_label("达成后进度(%)").fill("30")
    form.get_by_test_id("milestone-save").click()
    form = page.get_by_test_id("milestone-form")
    form.get_by_label("节点名称").fill("主体封顶")
    form.get_by_label("计划日期").fill("2026-02-01")
    form.get_by_label("达成后进度(%)").fill("70")
    form.get_by_test_id("milestone-save").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("计划日期不能早于上一节点")
    form = page.get_by_test_id("milestone-form")
    expect(form.get_by_label("节点名称")).to_have_value("主体封顶")
    form.get_by_label("计划日期").fill("2026-08-31")
    form.get_by_test_id("milestone-save").click()
    expect(page.get_by_test_id("milestone-row")).to_have_count(2)
    expect(page.get_by_test_id("progress")).to_have_text("0%")
    page.get_by_test_id("reach-form").get_by_label("达成日期").fill("2026-03-02")
    page.get_by_test_id("milestone-reach").click()
    expect(page.get_by_test_id("progress")).to_have_text("30%")
    expect(page.get_by_test_id("milestone-reached").first).to_contain_text("2026-03-02")

    page.goto(f"{live_server.url}/economy/")
    expect(page.locator("#chart-progress svg")).to_be_visible()
    expect(page.get_by_test_id("progress-row")).to_have_text("卫星产业园一期 30%")
    page.locator("#chart-progress").scroll_into_view_if_needed()
    page.screenshot(path=artifact("economy_progress_chart.png"), full_page=True)
    page.locator('#chart-progress svg path[fill="#2e7d4f"]').first.click()
    expect(page.get_by_test_id("project-name")).to_have_text("卫星产业园一期")
