"""The statistics page in a real browser at desktop width: village staff open
it from the safety tabs, the three ECharts charts draw (SVG present, no
console errors and no CSP violations: the page fixture fails on either),
the tables carry the same numbers, and the grid and month filters narrow
both; a bad month is shown with its message."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import PremisesKind
from ..services import hazards
from .support import inspect, premises_at, raised_hazard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ("chart-trend", "chart-kinds", "chart-rate")


@pytest.fixture
def tree(transactional_db):
    tree = build_small_tree()
    UserFactory(username="wangge", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1, display_name="王网格")
    UserFactory(username="cunwu", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="李村务")
    inspector = User.objects.get(username="wangge")
    warehouse = premises_at(tree.grid_a1, name="东风物流仓库")
    premises_at(tree.grid_a2, name="向阳小饭馆", kind=PremisesKind.SMALL_RESTAURANT)
    inspection = inspect(warehouse, actor=inspector, fail=2)
    hazards.hazard_issue_notice(actor=inspector, hazard=raised_hazard(inspection), days=5)
    raised_hazard(inspection, n=1)
    return tree


def charts_drawn(page):
    for chart in CHARTS:
        box = page.locator(f"#{chart}")
        expect(box.locator("svg")).to_have_count(1)
        assert box.locator("svg path, svg rect, svg text").count() > 3, chart


def test_charts_and_filters_at_desktop_width(page, live_server, tree):
    login(page, live_server, "cunwu", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/safety/")
    page.get_by_test_id("safety-tabs").get_by_role("link", name="统计").click()
    expect(page.get_by_test_id("total-inspections")).to_have_text("1")
    expect(page.get_by_test_id("total-hazards")).to_have_text("2")
    charts_drawn(page)
    expect(page.locator("#chart-rate")).to_contain_text("西张村")
    expect(page.locator("#chart-kinds")).to_contain_text("仓库")
    page.screenshot(path=artifact("safety_statistics_charts.png"), full_page=True)

    page.get_by_label("村/社区或网格").select_option(label="\u3000第1网格")
    page.get_by_label("月份").fill(timezone.localdate().strftime("%Y-%m"))
    page.get_by_test_id("filter-submit").click()
    expect(page.get_by_test_id("place-row")).to_have_count(1)
    expect(page.get_by_test_id("place-row")).to_contain_text("第1网格")
    expect(page.get_by_test_id("summary")).to_contain_text("第1网格")
    expect(page.get_by_test_id("total-hazards")).to_have_text("2")
    charts_drawn(page)
    href = page.get_by_test_id("export").get_attribute("href") or ""
    assert f"node={tree.grid_a1.pk}" in href and "month=" in href

    page.get_by_label("村/社区或网格").select_option(label=str(tree.village_a.label))
    page.get_by_test_id("filter-submit").click()
    expect(page.get_by_test_id("place-row")).to_have_count(2)
    charts_drawn(page)

    page.goto(f"{live_server.url}/safety/statistics/?month=2026-13")
    expect(page.get_by_test_id("field-error")).to_contain_text("月份应为 YYYY-MM 格式")
    expect(page.get_by_test_id("total-hazards")).to_have_text("2")
    charts_drawn(page)
