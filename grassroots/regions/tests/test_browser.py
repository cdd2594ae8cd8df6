"""Browsing the tree and residents in a real browser; scoping holds in the UI."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.testing.browser import login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tree(transactional_db):
    return build_small_tree()


def test_subdistrict_staff_browses_tree_down_to_a_unit(page, live_server, tree):
    UserFactory(username="street1", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict)
    login(page, live_server, "street1", DEFAULT_PASSWORD)
    page.locator("#mainnav").get_by_role("link", name="辖区").click()
    assert page.get_by_test_id("node-title").inner_text() == "湖田街道"
    table = page.get_by_test_id("children-table")
    row = table.locator("tr", has_text="西张村")
    assert row.locator("td").nth(3).inner_text() == "2"  # grids
    row.get_by_role("link", name="西张村").click()
    assert page.get_by_test_id("node-title").inner_text() == "西张村"
    page.get_by_role("link", name="第1网格").click()
    page.get_by_role("link", name="1号楼").click()
    page.get_by_role("link", name="1单元").click()
    assert page.get_by_text("101").first.is_visible()
    page.get_by_role("link", name="西张村").click()  # breadcrumb back up
    assert page.get_by_test_id("node-title").inner_text() == "西张村"


def test_grid_worker_cannot_open_another_grids_page(page, live_server, tree):
    UserFactory(username="grid1", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    login(page, live_server, "grid1", DEFAULT_PASSWORD)
    page.locator("#mainnav").get_by_role("link", name="辖区").click()
    assert page.get_by_test_id("node-title").inner_text() == "第1网格"
    assert page.get_by_role("link", name="西张村").count() == 0  # no breadcrumb above the own node
    response = page.goto(f"{live_server.url}/regions/{tree.grid_a2.pk}/")
    assert response is not None and response.status == 404
    response = page.goto(f"{live_server.url}/regions/residents/{tree.resident_b1.pk}/")
    assert response is not None and response.status == 404


def test_reveal_is_audited_in_the_browser(page, live_server, tree):
    UserFactory(username="secadmin", role=Role.SECURITY_ADMIN, jurisdiction=tree.subdistrict)
    login(page, live_server, "secadmin", DEFAULT_PASSWORD)
    page.locator("#mainnav").get_by_role("link", name="居民").click()
    table = page.get_by_test_id("resident-table")
    assert tree.resident_a1.id_number[:3] + "*" * 13 in table.inner_text()
    assert "1950" not in table.inner_text()  # the age, never the birth date
    assert tree.resident_a1.id_number not in page.content()
    table.get_by_role("link", name="张三").click()
    page.get_by_placeholder("事由,例如:核实低保申请").fill("核实高龄补贴")
    page.get_by_test_id("reveal").click()
    assert tree.resident_a1.id_number in page.get_by_test_id("revealed").inner_text()
    assert AuditEntry.objects.filter(action="data.reveal", object_id=str(tree.resident_a1.pk)).count() == 1


def test_resident_search_live(page, live_server, tree):
    UserFactory(username="street1", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict)
    login(page, live_server, "street1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/regions/residents/")
    page.get_by_placeholder("姓名,或完整身份证号/手机号").fill("李")
    expect(page.get_by_test_id("resident-table")).not_to_contain_text("张三")
    assert "李四" in page.get_by_test_id("resident-table").inner_text()
    page.get_by_placeholder("姓名,或完整身份证号/手机号").fill("不存在的人")
    assert "没有找到" in page.get_by_test_id("empty").inner_text()


def test_a_throttled_reveal_shows_why_in_the_browser(page, live_server, tree, settings):
    settings.REVEAL_RATES = "1/m"
    UserFactory(username="secadmin", role=Role.SECURITY_ADMIN, jurisdiction=tree.subdistrict)
    login(page, live_server, "secadmin", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/regions/residents/{tree.resident_a1.pk}/")
    expect(page.get_by_test_id("age")).to_contain_text("岁")
    page.get_by_placeholder("事由,例如:核实低保申请").fill("核实高龄补贴")
    page.get_by_test_id("reveal").click()
    expect(page.get_by_test_id("revealed")).to_contain_text(tree.resident_a1.id_number)
    page.get_by_test_id("reveal").click()
    expect(page.get_by_test_id("reveal-error")).to_contain_text("每分钟最多 1 次")
    assert AuditEntry.objects.filter(action="data.reveal", result="denied").count() == 1
