"""Export approval in a real browser (desktop): subdistrict staff ask for the
residents with full numbers, a security administrator approves with a
reason, the staff member downloads the watermarked file."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.exports.models import ExportRequest
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sheet(content):
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return sheet


def _logout(page):
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()


def test_ask_approve_download(page, live_server, transactional_db):
    tree = build_small_tree()
    UserFactory(username="jiedao", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="周街道")
    UserFactory(username="anquan", role=Role.SECURITY_ADMIN, jurisdiction=None, display_name="吴安全")

    login(page, live_server, "jiedao", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/regions/residents/")
    page.get_by_test_id("export-unmasked").click()
    expect(page.get_by_test_id("needs-approval")).to_have_text("需审批")
    expect(page.get_by_test_id("estimated-rows")).to_have_text("2")
    page.screenshot(path=artifact("exports-request-form.png"), full_page=True)
    page.get_by_label("导出事由").fill("民政局核对低保对象,需要完整身份证号")
    page.get_by_role("button", name="提交审批申请").click()
    mine = page.get_by_test_id("my-exports")
    expect(mine).to_contain_text("待审批")
    page.screenshot(path=artifact("exports-mine-requested.png"), full_page=True)
    _logout(page)

    login(page, live_server, "anquan", DEFAULT_PASSWORD)
    page.locator("#mainnav").get_by_role("link", name="导出审批").click()
    pending = page.get_by_test_id("pending-exports")
    expect(pending).to_contain_text("民政局核对低保对象")
    page.screenshot(path=artifact("exports-pending.png"), full_page=True)
    pending.get_by_label("审批意见").fill("核对低保,同意,24 小时内有效")
    pending.get_by_role("button", name="批准").click()
    expect(page.get_by_test_id("decided-exports")).to_contain_text("已批准")
    _logout(page)

    login(page, live_server, "jiedao", DEFAULT_PASSWORD)
    page.locator("#mainnav").get_by_role("link", name="我的导出").click()
    expect(page.get_by_test_id("my-exports")).to_contain_text("已批准")
    page.screenshot(path=artifact("exports-mine-approved.png"), full_page=True)
    export = ExportRequest.objects.get()
    with page.expect_download() as info:
        page.get_by_test_id(f"download-{export.pk}").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:
        rows = list(_sheet(handle.read()).iter_rows(values_only=True))
    assert tree.resident_a1.id_number in [row[3] for row in rows]
    assert export.number in rows[-1][0] and "jiedao" in rows[-1][0]
    export.refresh_from_db()
    assert export.state == "downloaded"
    assert AuditEntry.objects.filter(action="data.export", actor_username="jiedao").count() == 1
