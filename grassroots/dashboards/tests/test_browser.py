"""The dashboards in a real browser (issue 16, "done when"): the subdistrict
sees the trend chart and the village bars, clicks village A's 逾期 bar and
lands on village A's matter queue showing the same count; the 近 90 天 span
redraws the trend; the village officer sees the grid comparison; the grid
worker reads their grid's dashboard at phone width and opens a figure."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, build_small_tree

from .support import make_people, seed_matters, seed_work

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAR_BOX = """([seriesIndex, dataIndex]) => {
  const chart = window.echarts.getInstanceByDom(document.getElementById('chart-children'));
  const layout = chart.getModel().getSeriesByIndex(seriesIndex).getData().getItemLayout(dataIndex);
  return {x: layout.x + layout.width / 2, y: layout.y + layout.height / 2};
}"""


@pytest.fixture
def world(transactional_db, clock):
    from grassroots.matters.tests.staff_setup import seed_categories

    tree = build_small_tree()
    seed_categories()
    people = make_people(tree)
    seed_matters(tree, people)
    seed_work(tree, people)
    return tree, people


def _click_bar(page, series: int, index: int) -> None:
    page.wait_for_function(
        "() => window.echarts && window.echarts.getInstanceByDom(document.getElementById('chart-children'))"
    )
    page.wait_for_timeout(1500)  # the bars' entry animation
    point = page.evaluate(BAR_BOX, [series, index])
    box = page.get_by_test_id("chart-children").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_subdistrict_trends_village_bars_and_a_bar_down_to_its_matters(page, live_server, world):
    tree, people = world
    login(page, live_server, people.street.username, DEFAULT_PASSWORD)
    page.get_by_role("link", name="数据看板").first.click()
    expect(page.get_by_test_id("title")).to_contain_text("湖田街道")
    expect(page.get_by_test_id("open")).to_have_text("6")
    expect(page.get_by_test_id("overdue")).to_have_text("3")
    expect(page.get_by_test_id("late3")).to_have_text("1")
    expect(page.get_by_test_id("chart-trend").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("chart-children").locator("svg")).to_contain_text("西张村")
    page.screenshot(path=artifact("dashboard-subdistrict.png"), full_page=True)

    # The 近 90 天 span redraws the trend over 90 days.
    page.get_by_test_id("spans").get_by_role("link", name="近 90 天").click()
    expect(page).to_have_url(re.compile(r"days=90"))
    days = "() => echarts.getInstanceByDom(document.getElementById('chart-trend')).getOption().xAxis[0].data.length"
    assert page.evaluate(days) == 90

    # Village A's 逾期 bar (series 1, first village) opens its queue: 2 matters, as the bar says.
    _click_bar(page, 1, 0)
    expect(page).to_have_url(re.compile(rf"/matters/\?node={tree.village_a.pk}&overdue=late"))
    expect(page.get_by_test_id("queue-count")).to_contain_text("共 2 件")
    expect(page.get_by_test_id("queue-row")).to_have_count(2)

    # The headline 未办结 figure opens the queue's open filter with the same count.
    page.go_back()
    page.get_by_test_id("open").click()
    expect(page.get_by_test_id("queue-count")).to_contain_text("共 6 件")


def test_village_officer_compares_grids_and_opens_one(page, live_server, world):
    tree, people = world
    login(page, live_server, people.village_a.username, DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/dashboards/")
    expect(page.get_by_test_id("title")).to_contain_text("西张村")
    expect(page.get_by_test_id("chart-children").locator("svg")).to_contain_text("第1网格")
    expect(page.get_by_test_id("mediation")).to_have_count(0)
    page.screenshot(path=artifact("dashboard-village.png"), full_page=True)
    # Grid A2's 未办结 bar: its one open matter.
    _click_bar(page, 0, 1)
    expect(page).to_have_url(re.compile(rf"node={tree.grid_a2.pk}&state=open"))
    expect(page.get_by_test_id("queue-count")).to_contain_text("共 1 件")
    page.go_back()
    page.locator("details summary", has_text="对比表").click()
    page.get_by_test_id("child-link").first.click()
    expect(page.get_by_test_id("breadcrumb")).to_contain_text("西张村")
    expect(page.get_by_test_id("title")).to_contain_text("第1网格")


def test_grid_worker_at_phone_width(phone_page, live_server, world):
    _tree, people = world
    page = phone_page
    login(page, live_server, people.grid_a1.username, DEFAULT_PASSWORD)
    page.get_by_test_id("dashboard-link").click()
    expect(page.get_by_test_id("title")).to_contain_text("第1网格")
    expect(page.get_by_test_id("chart-trend").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("chart-children")).to_have_count(0)
    expect(page.get_by_test_id("open")).to_have_text("3")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.screenshot(path=artifact("dashboard-grid-phone.png"), full_page=True)
    page.get_by_test_id("inspections").click()
    expect(page).to_have_url(re.compile(r"/safety/statistics/"))
