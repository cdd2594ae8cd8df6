"""The indicator pages in a real browser: the economic-management station
enters a month (a typo answered in Chinese, nothing lost) and imports a
figure from Excel; a second officer reviews and locks the month; the table
shows year-on-year computed from last year's figure; a change after locking
asks for a reason and is kept in the value's history. At phone width a
village officer reads the trend chart of their village."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.core.actors import SYSTEM
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import Value
from ..services.defaults import indicators_seed_defaults
from ..services.values import values_set
from .support import FIRST, indicator
from .xlsx import workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    tree = build_small_tree()
    indicators_seed_defaults()
    UserFactory(username="jingguan", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="张经管")
    UserFactory(username="shenhe", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="王审核")
    UserFactory(username="cunwu", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务")
    # Last year's September (year-to-date) and this August, so that YoY and MoM compute.
    for month, amount in [(datetime.date(2022, 9, 1), "50"), (datetime.date(2023, 8, 1), "50")]:
        values_set(actor=SYSTEM, node=tree.subdistrict, month=month, values={indicator(): Decimal(amount)})
    values_set(actor=SYSTEM, node=tree.subdistrict, month=datetime.date(2022, 8, 1), values={indicator(): Decimal(45)})
    values_set(actor=SYSTEM, node=tree.subdistrict, month=datetime.date(2023, 7, 1), values={indicator(): Decimal(44)})
    return tree


def test_enter_import_review_lock_and_correct(page, live_server, world, tmp_path):
    tree = world
    month = f"{live_server.url}/indicators/?node={tree.subdistrict.pk}&month=2023-09"
    login(page, live_server, "jingguan", DEFAULT_PASSWORD)
    page.get_by_role("link", name="经济指标").first.click()
    page.goto(month)
    expect(page.get_by_test_id("ledger-state")).to_have_text("填报中")
    expect(page.get_by_test_id("empty")).to_contain_text("本月尚未填报")
    page.get_by_test_id("enter").click()
    page.get_by_label(f"{FIRST}(亿元)").fill("五十六")
    page.get_by_label("限上批发业销售额(亿元)").fill("42")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("应为数字")
    expect(page.get_by_label("限上批发业销售额(亿元)")).to_have_value("42")
    page.get_by_label(f"{FIRST}(亿元)").fill("56")
    page.get_by_test_id("save").click()
    first = page.get_by_test_id("indicator-row").first
    expect(first.get_by_test_id("cell-cumulative")).to_have_text("56")
    expect(first.get_by_test_id("cell-monthly")).to_have_text("6")
    expect(first.get_by_test_id("cell-yoy")).to_have_text("+12.0%")
    expect(first.get_by_test_id("cell-mom")).to_have_text("0.0%")

    # Excel import of one more figure, a bad line first.
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    bad.write_bytes(workbook([[tree.subdistrict.code, "", "2023-09", "固定资产投资", "亿元", "很多"]]).read())
    good.write_bytes(workbook([[tree.subdistrict.code, "", "2023-09", "固定资产投资", "亿元", "38"]]).read())
    page.get_by_test_id("import-link").click()
    page.get_by_label("Excel 文件").set_input_files(str(bad))
    page.get_by_test_id("import").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("第 2 行")
    page.get_by_label("Excel 文件").set_input_files(str(good))
    page.get_by_test_id("import").click()
    page.goto(month)
    expect(page.get_by_test_id("indicator-row").nth(6).get_by_test_id("cell-cumulative")).to_have_text("38")
    # The one who entered cannot review.
    expect(page.get_by_test_id("review")).to_be_visible()
    page.get_by_test_id("review").click()
    expect(page.locator(".alert")).to_contain_text("另一人")

    page.context.clear_cookies()
    login(page, live_server, "shenhe", DEFAULT_PASSWORD)
    page.goto(month)
    page.get_by_test_id("review").click()
    expect(page.get_by_test_id("ledger-state")).to_have_text("已审核")
    page.get_by_test_id("lock").click()
    expect(page.get_by_test_id("ledger-state")).to_have_text("已锁定")
    expect(page.get_by_test_id("indicator-row").first.get_by_test_id("cell-yoy")).to_have_text("+12.0%")
    page.screenshot(path=artifact("indicators_table.png"), full_page=True)

    page.context.clear_cookies()
    login(page, live_server, "jingguan", DEFAULT_PASSWORD)
    page.goto(month)
    page.get_by_test_id("enter").click()
    expect(page.get_by_test_id("locked-hint")).to_contain_text("须填写原因")
    page.get_by_label(f"{FIRST}(亿元)").fill("57")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("field-error")).to_contain_text("须填写原因")
    page.get_by_label("更正原因").fill("统计局反馈修正")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("indicator-row").first.get_by_test_id("cell-yoy")).to_have_text("+14.0%")
    page.get_by_test_id("cell-value").first.get_by_role("link").click()
    expect(page.get_by_test_id("history-row").last).to_contain_text("统计局反馈修正")
    assert Value.objects.get(indicator__name=FIRST, ledger__month=datetime.date(2023, 9, 1)).value == 57


def test_village_officer_reads_the_trend_at_phone_width(phone_page, live_server, world):
    tree = world
    values_set(actor=SYSTEM, node=tree.village_a, month=datetime.date(2023, 9, 1), values={indicator(): Decimal(3)})
    page = phone_page
    login(page, live_server, "cunwu", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/indicators/")
    expect(page.get_by_test_id("place-node")).to_have_value(str(tree.village_a.pk))
    expect(page.get_by_test_id("indicator-row").first.get_by_test_id("cell-cumulative")).to_have_text("3")
    page.get_by_test_id("trend-link").first.click()
    expect(page.get_by_test_id("chart").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("trend-table")).to_contain_text("2023-09")
    page.screenshot(path=artifact("indicators_trend_phone.png"), full_page=True)


def test_definitions_added_and_edited_and_the_village_rollup(page, live_server, world):
    """The station adds an indicator (a missing name answered in Chinese
    first), edits another's department; the month's table shows the villages'
    sum marked 汇总 beside the subdistrict's own figure."""
    tree = world
    values_set(actor=SYSTEM, node=tree.village_a, month=datetime.date(2023, 9, 1), values={indicator(): Decimal("21")})
    values_set(actor=SYSTEM, node=tree.village_b, month=datetime.date(2023, 9, 1), values={indicator(): Decimal("30")})
    login(page, live_server, "jingguan", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/indicators/?node={tree.subdistrict.pk}&month=2023-09")
    first = page.get_by_test_id("indicator-row").first
    expect(first.get_by_test_id("cell-rollup")).to_contain_text("汇总")
    expect(first.get_by_test_id("cell-rollup")).to_contain_text("51")
    expect(first.get_by_test_id("cell-rollup")).to_contain_text("2 个村(社区)")
    page.get_by_test_id("definitions-link").click()
    page.get_by_test_id("definition-new").click()
    page.get_by_label("计量单位").select_option(label="亿元")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("field-error").first).to_contain_text("请填写指标名称")
    expect(page.get_by_label("计量单位")).to_have_value("100m_yuan")
    page.get_by_label("指标名称").fill("社会消费品零售总额")
    page.get_by_label("统计口径").select_option(label="全口径")
    page.get_by_label("报送方式").select_option(label="累计值(年初至本月)")
    page.get_by_label("来源部门").fill("区统计局")
    page.get_by_label("显示顺序").fill("80")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("definitions")).to_contain_text("社会消费品零售总额")
    page.get_by_test_id("definition-row").first.get_by_test_id("definition-edit").click()
    page.get_by_label("计量单位").select_option(label="万元")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("field-error").first).to_contain_text("已有填报数据")
    page.get_by_label("计量单位").select_option(label="亿元")
    page.get_by_label("来源部门").fill("区统计局工业科")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("definition-row").first).to_contain_text("区统计局工业科")
    page.screenshot(path=artifact("indicator-definitions.png"), full_page=True)
