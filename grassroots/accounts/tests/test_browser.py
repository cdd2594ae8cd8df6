"""Login and navigation in a real browser, as two different roles."""

from __future__ import annotations

import pytest

from grassroots.accounts.roles import Role
from grassroots.testing.browser import login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(transactional_db):
    tree = build_small_tree()
    return {
        "tree": tree,
        "grid": UserFactory(username="grid1", display_name="王网格", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1),
        "street": UserFactory(
            username="street1", display_name="张街道", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict
        ),
        "auditor": UserFactory(
            username="auditor1", display_name="郑审计", role=Role.AUDIT_ADMIN, jurisdiction=tree.subdistrict
        ),
    }


def test_grid_worker_logs_in_and_sees_own_grid(page, live_server, people):
    login(page, live_server, "grid1", DEFAULT_PASSWORD)
    assert page.get_by_role("heading", name="您好,王网格").is_visible()
    assert page.get_by_text("网格员 · 辖区:第1网格").is_visible()
    nav = page.locator("#mainnav")
    assert nav.get_by_role("link", name="辖区").is_visible()
    assert nav.get_by_role("link", name="审计日志").count() == 0
    summary = page.get_by_test_id("summary")
    assert "居民" in summary.inner_text()


def test_subdistrict_staff_logs_in_then_out(page, live_server, people):
    login(page, live_server, "street1", DEFAULT_PASSWORD)
    assert page.get_by_text("街道工作人员 · 辖区:湖田街道").is_visible()
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    assert page.get_by_role("heading", name="您已安全退出").is_visible()
    page.goto(f"{live_server.url}/accounts/home/")
    assert "/accounts/login/" in page.url


def test_wrong_password_then_right(page, live_server, people):
    login(page, live_server, "street1", "Wrong-pass-1")
    assert "用户名或密码不正确" in page.get_by_test_id("login-error").inner_text()
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("heading", name="您好,张街道").is_visible()


def test_auditor_verifies_the_chain(page, live_server, people):
    login(page, live_server, "auditor1", DEFAULT_PASSWORD)
    page.locator("#mainnav").get_by_role("link", name="审计日志").click()
    assert page.get_by_test_id("audit-table").get_by_text("登录").first.is_visible()
    page.get_by_test_id("verify").click()
    assert "审计日志完整" in page.get_by_test_id("verify-ok").inner_text()


def test_public_home_on_a_phone(phone_page, live_server, people):
    phone_page.goto(live_server.url + "/")
    assert phone_page.get_by_role("heading", name="说事").is_visible()
    assert "西张村" in phone_page.get_by_test_id("public-villages").inner_text()
    # the navigation collapses behind the toggler on a phone
    phone_page.get_by_label("展开导航").click()
    assert phone_page.get_by_role("link", name="工作人员登录").first.is_visible()
