"""The password policy in a real browser at desktop width (ADR 0059): an
account the system administrator created must change its initial password at
first login before it reaches anything else; the security administrator
re-enables a dormant account with a reason."""

from __future__ import annotations

import pytest

from grassroots.accounts import services
from grassroots.accounts.models import User
from grassroots.accounts.policy.dormant import dormant_accounts_disable
from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INITIAL = "Initial-by-admin-7"
OWN = "Only-I-know-this-8"


def test_first_login_forces_the_initial_password_to_be_changed(page, live_server):
    tree = build_small_tree()
    admin = UserFactory(username="sys1", role=Role.SYSTEM_ADMIN, jurisdiction=tree.subdistrict, is_staff=True)
    services.account_create(
        actor=admin,
        username="newgrid",
        password=INITIAL,
        role=Role.GRID_WORKER,
        jurisdiction=tree.grid_a1,
        display_name="新网格",
    )
    login(page, live_server, "newgrid", INITIAL)
    assert "/accounts/password/" in page.url
    reason = page.get_by_test_id("password-policy-reason")
    assert "管理员设置的初始密码" in reason.inner_text()
    page.screenshot(path=artifact("policy_forced_change.png"), full_page=True)
    # Anything else leads back here.
    page.goto(f"{live_server.url}/matters/")
    assert "/accounts/password/" in page.url
    # Keeping the initial password is refused with a Chinese reason.
    page.get_by_label("旧密码").fill(INITIAL)
    page.get_by_label("新密码", exact=True).fill(INITIAL)
    page.get_by_label("新密码确认").fill(INITIAL)
    page.get_by_role("button", name="修改密码").click()
    assert "最近 5 次" in page.content()
    page.get_by_label("旧密码").fill(INITIAL)
    page.get_by_label("新密码", exact=True).fill(OWN)
    page.get_by_label("新密码确认").fill(OWN)
    page.get_by_role("button", name="修改密码").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="您好,新网格").is_visible()
    page.goto(f"{live_server.url}/matters/")
    assert "/matters/" in page.url
    account = User.objects.get(username="newgrid")
    assert not account.must_change_password and account.check_password(OWN)


def test_security_admin_reactivates_a_dormant_account(page, live_server):
    tree = build_small_tree()
    UserFactory(username="sec1", role=Role.SECURITY_ADMIN, jurisdiction=tree.subdistrict)
    idle = UserFactory(username="idle1", display_name="久未登录", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    User.objects.filter(pk=idle.pk).update(last_login=None, date_joined="2020-01-01T00:00:00+08:00")
    assert dormant_accounts_disable() == [idle.pk]
    login(page, live_server, "sec1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/accounts/dormant/")
    row = page.get_by_test_id(f"dormant-{idle.pk}")
    assert "从未登录" in row.inner_text()
    page.screenshot(path=artifact("policy_dormant.png"), full_page=True)
    row.get_by_role("button", name="重新启用").click()
    assert "请填写重新启用的理由" in page.get_by_test_id(f"dormant-{idle.pk}").inner_text()
    page.get_by_test_id(f"dormant-{idle.pk}").get_by_label("重新启用理由").fill("本人返岗,所在村书记确认")
    page.get_by_test_id(f"dormant-{idle.pk}").get_by_role("button", name="重新启用").click()
    assert "已重新启用账号 idle1" in page.content()
    idle.refresh_from_db()
    assert idle.is_active
    assert AuditEntry.objects.filter(action="accounts.dormant_reactivate", object_id=str(idle.pk)).exists()
