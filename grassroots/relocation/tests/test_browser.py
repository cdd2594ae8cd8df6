"""The relocation pages in a real browser: at phone width a relocation
worker opens their units, moves one through the stages (a missing amount is
refused with its message and nothing is lost), and the project's signing
rate on the dashboard updates; the office downloads the daily report as
PDF and Excel and both open; the dashboard's chart draws and a figure leads
to its rows."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from grassroots.accounts.roles import Role
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

from ..models import Batch, Unit
from ..states import State
from .support import advance_to, project_at, unit_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    tree = build_small_tree()
    worker = UserFactory(
        username="zhengqian", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, display_name="赵包户"
    )
    UserFactory(username="zhihuibu", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="钱指挥")
    project = project_at(tree.subdistrict)
    units = [unit_at(project, tree.village_a, f"BG-{n}", worker=worker) for n in range(4)]
    advance_to(units[1], State.SIGNED)
    advance_to(units[2], State.SIGNED)
    advance_to(units[0], State.ASSESSED)
    return project, units


def test_worker_signs_a_unit_on_the_phone_and_the_rate_updates(phone_page, live_server, world):
    project, units = world
    page = phone_page
    login(page, live_server, "zhengqian", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/relocation/projects/{project.pk}/")
    expect(page.get_by_test_id("rate")).to_have_text("50.00%")
    page.goto(f"{live_server.url}/relocation/mine/")
    card = page.locator(f"#unit-{units[0].pk}")
    expect(card.get_by_test_id("my-state")).to_have_text("已评估")
    card.get_by_label("备注").fill("户主同意签约")
    card.get_by_test_id("advance-sign").click()
    expect(page.get_by_test_id("field-error").or_(page.locator(".alert-danger")).first).to_contain_text(
        "请填写协议补偿金额"
    )
    assert Unit.objects.get(pk=units[0].pk).state == State.ASSESSED
    page.goto(f"{live_server.url}/relocation/mine/")
    card = page.locator(f"#unit-{units[0].pk}")
    card.get_by_label("协议补偿金额(元)").fill("912345.60")
    card.get_by_test_id("advance-sign").click()
    card = page.locator(f"#unit-{units[0].pk}")
    expect(card.get_by_test_id("my-state")).to_have_text("已签约")
    page.screenshot(path=artifact("relocation_mine_phone.png"), full_page=True)
    # The next stage is one tap away on the same card.
    card.get_by_test_id("advance-vacate").click()
    expect(page.locator(f"#unit-{units[0].pk}").get_by_test_id("my-state")).to_have_text("已腾空")
    page.goto(f"{live_server.url}/relocation/projects/{project.pk}/")
    expect(page.get_by_test_id("rate")).to_have_text("75.00%")
    expect(page.get_by_test_id("signed")).to_contain_text("3 / 4")
    unit = Unit.objects.get(pk=units[0].pk)
    assert unit.state == State.VACATED and str(unit.agreed_amount) == "912345.60"


def test_office_dashboard_chart_drill_down_and_daily_report(page, live_server, world):
    project, _units = world
    login(page, live_server, "zhihuibu", DEFAULT_PASSWORD)
    page.get_by_role("link", name="房屋征迁").first.click()
    expect(page.get_by_test_id("project-rate")).to_contain_text("50.00%")
    page.get_by_test_id("project-row").click()
    expect(page.locator("#chart-signing svg")).to_be_visible()
    page.screenshot(path=artifact("relocation_dashboard.png"), full_page=True)
    with page.expect_download() as pdf_info:
        page.get_by_test_id("report-pdf").click()
    pdf_path = pdf_info.value.path()
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed"
    text = subprocess.run([pdftotext, str(pdf_path), "-"], capture_output=True, check=True, text=True).stdout
    assert "征迁进度日报" in text and "50.00%" in text
    with page.expect_download() as xlsx_info:
        page.get_by_test_id("report-xlsx").click()
    with open(xlsx_info.value.path(), "rb") as handle:
        sheet: Any = load_workbook(io.BytesIO(handle.read())).active
        rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:4] == ("项目合计", project.name, 4, 2)
    page.get_by_test_id("rates-batch").get_by_role("link", name="2").first.click()
    expect(page.get_by_test_id("unit-row")).to_have_count(2)
    expect(page.get_by_test_id("count")).to_contain_text("共 2 户")


def test_office_opens_a_project_and_adds_a_batch(page, live_server, world):
    login(page, live_server, "zhihuibu", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/relocation/")
    page.get_by_test_id("project-new").click()
    page.get_by_label("项目名称").fill("   ")  # passes the browser's check, not the server's
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("field-error").first).to_contain_text("请填写项目名称")
    page.get_by_label("项目名称").fill("花山路南延")
    page.get_by_label("项目类型").select_option("road")
    page.get_by_label("征收实施单位").fill("张店区住房和城乡建设局")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("title")).to_have_text("花山路南延")
    page.get_by_label("新批次名称").fill("第一批次365户非住宅")
    page.get_by_label("批次类型").select_option("non_residential")
    page.get_by_test_id("batch-add").click()
    expect(page.locator(".alert-success")).to_contain_text("批次号 1")
    assert Batch.objects.get(project__name="花山路南延").kind == "non_residential"
