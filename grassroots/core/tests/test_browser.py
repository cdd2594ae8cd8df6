"""Browser tests for the core's staff pages: messages and the admin site."""

from __future__ import annotations

import pytest

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.audit import Action
from grassroots.core.models import AuditEntry
from grassroots.core.notifications.services import notify_user
from grassroots.testing.browser import login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_reads_a_message(page, live_server, django_capture_on_commit_callbacks):
    tree = build_small_tree()
    UserFactory(username="village1", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    user = User.objects.get(username="village1")
    with django_capture_on_commit_callbacks(execute=True):
        notify_user(user, "新事项待受理", "西张村 3 号楼反映楼道灯不亮。")
    login(page, live_server, "village1", DEFAULT_PASSWORD)
    assert page.get_by_test_id("unread-count").inner_text() == "1"
    page.get_by_role("link", name="消息").click()
    assert page.get_by_text("西张村 3 号楼反映楼道灯不亮。").is_visible()
    page.get_by_role("button", name="标为已读").click()
    assert page.get_by_test_id("unread-count").count() == 0
    page.get_by_role("link", name="未读").click()
    assert page.get_by_text("没有未读消息。").is_visible()


def test_system_admin_creates_an_account(page, live_server):
    tree = build_small_tree()
    UserFactory(username="sysadmin1", role=Role.SYSTEM_ADMIN, jurisdiction=tree.subdistrict)
    login(page, live_server, "sysadmin1", DEFAULT_PASSWORD)
    page.locator("#mainnav").get_by_role("link", name="系统管理").click()
    page.goto(f"{live_server.url}/admin/accounts/user/add/")
    page.locator("#id_username").fill("newgrid")
    page.locator("#id_display_name").fill("新网格员")
    page.locator("#id_role").select_option("grid_worker")
    # the jurisdiction is an autocomplete showing the whole chain of names
    page.locator("#id_jurisdiction + .select2").click()
    page.locator(".select2-search__field").fill("第1网格")
    page.get_by_role("option", name="湖田街道 / 店子社区 / 第1网格", exact=True).click()
    page.locator("#id_password1").fill("Xinwangge-2026")
    page.locator("#id_password2").fill("Xinwangge-2026")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state("networkidle")
    created = User.objects.get(username="newgrid")
    assert created.role == Role.GRID_WORKER
    assert created.jurisdiction_id == tree.grid_b1.pk
    entry = AuditEntry.objects.filter(action=Action.CREATE, object_type="accounts.User").get()
    assert entry.object_id == str(created.pk)
    assert entry.detail["role"] == "grid_worker"
