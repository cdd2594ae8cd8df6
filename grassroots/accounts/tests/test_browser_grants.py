"""Two security administrators grant the audit administrator's role in a real
browser; the new administrator sets their own password (ADR 0025)."""

from __future__ import annotations

import pytest

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.testing.browser import login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grant_walk(page, live_server, transactional_db):
    UserFactory(username="sec1", display_name="吴安全", role=Role.SECURITY_ADMIN)
    UserFactory(username="sec2", display_name="钱安全", role=Role.SECURITY_ADMIN)
    UserFactory(username="newaudit", display_name="郑审计", role=Role.GRID_WORKER, is_active=False)

    login(page, live_server, "sec1", DEFAULT_PASSWORD)
    page.locator("#mainnav").get_by_role("link", name="管理员授权").click()
    form = page.get_by_test_id("grant-form")
    form.get_by_label("账号(用户名)").fill("newaudit")
    form.get_by_label("新角色").select_option(Role.AUDIT_ADMIN.value)
    form.get_by_label("申请理由").fill("审计岗位到岗")
    form.get_by_role("button", name="提交申请").click()
    pending = page.get_by_test_id("pending-grants")
    assert "郑审计" in pending.inner_text()
    assert pending.get_by_role("button", name="批准").count() == 0  # not for one's own request
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()

    login(page, live_server, "sec2", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/accounts/role-grants/")
    page.get_by_test_id("pending-grants").get_by_label("审批意见").fill("同意")
    page.get_by_test_id("pending-grants").get_by_role("button", name="批准").click()
    link = page.get_by_test_id("set-password-link").input_value()
    assert User.objects.get(username="newaudit").role == Role.AUDIT_ADMIN
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()

    page.goto(link)
    page.get_by_label("新密码", exact=True).fill("Own-choice-2026")
    page.get_by_label("新密码确认").fill("Own-choice-2026")
    page.get_by_role("button", name="设置密码").click()
    login(page, live_server, "newaudit", "Own-choice-2026")
    assert page.locator("#mainnav").get_by_role("link", name="审计日志").is_visible()
