"""Browser tests of the application pages: the staff queue and detail (htmx
actions) on a desktop, the applicant's pages on a phone with large type."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from grassroots.registration.models import Application, MaterialRequirement
from grassroots.registration.states import State
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD

from . import support_applications as support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_payload(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": support.pdf_bytes(name)}


def staff_upload(page: Any, requirement_name: str, file_name: str) -> None:
    card = page.get_by_test_id("action-upload")
    if card.get_attribute("open") is None:
        card.locator("summary").click()
    card.get_by_label("材料项目").select_option(label=requirement_name)
    card.locator("input[type=file]").set_input_files(pdf_payload(file_name))
    old = page.get_by_test_id("app-panel").element_handle()
    card.get_by_test_id("do-upload").click()
    old.wait_for_element_state("hidden")  # swapped by htmx
    page.get_by_test_id("notice").filter(has_text="材料已上传").wait_for()


def test_staff_files_for_an_applicant_and_reviews(page, live_server, monkeypatch):
    support.Clock(monkeypatch)
    support.services()
    support.staff("window1")
    late = support.submitted(org_name="湖田书画艺术团")
    login(page, live_server, "window1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/registration/applications/")
    assert page.get_by_test_id("queue-row").count() == 1
    page.get_by_test_id("new-application").click()
    page.get_by_role("link", name=re.compile("民办非企业单位")).click()
    page.get_by_label("拟成立组织名称").fill("湖田颐养服务中心")
    page.get_by_label("业务主管单位").fill("张店区民政局")
    page.get_by_label("开办(活动)资金(元)").fill("100000")
    page.get_by_label("申请人(经办人)姓名").fill("王秀英")
    page.get_by_label("手机号码").fill(support.PHONE)
    page.get_by_label("法人", exact=True).check()
    page.get_by_label("不是,或拿不准").check()
    page.get_by_label("验资报告").check()
    page.get_by_label("租用的房屋").check()
    page.get_by_test_id("save-application").click()
    assert page.get_by_test_id("app-state").inner_text() == "填写中"
    assert page.get_by_test_id("assisted-badge").is_visible()
    staff_upload(page, "民办非企业单位成立登记申请书", "申请书.pdf")
    row = page.locator("[data-testid=material-row]").filter(has_text="民办非企业单位成立登记申请书")
    assert "待审查" in row.inner_text()
    assert "代 王秀英 上传" in (row.locator(".hash").get_attribute("title") or "")
    events = page.get_by_test_id("event")
    assert "代 王秀英 办理" in events.last.inner_text()
    page.screenshot(path=artifact("registration-app-detail-desktop.png"), full_page=True)

    page.goto(f"{live_server.url}/registration/applications/{late.pk}/")
    review = page.get_by_test_id("review-form")
    for select in review.locator("select").all():
        select.select_option("ok")
    review.get_by_test_id("do-review").click()
    page.get_by_test_id("notice").filter(has_text="审查结论已记录").wait_for()
    page.get_by_test_id("action-accept").locator("summary").click()
    page.get_by_test_id("do-accept").click()
    page.get_by_test_id("notice").filter(has_text="已受理").wait_for()
    assert page.get_by_test_id("app-number").inner_text() == "SZ2026092800001"
    assert page.get_by_test_id("statutory-date").inner_text() == "2026年11月23日"
    late.refresh_from_db()
    assert late.state == State.ACCEPTED


def test_queue_marks_a_late_review(page, live_server, monkeypatch):
    clock = support.Clock(monkeypatch)
    support.services()
    support.staff("window1")
    support.submitted(org_name="逾期初审的协会")
    clock.day(datetime.date(2026, 10, 12))
    login(page, live_server, "window1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/registration/applications/")
    row = page.get_by_test_id("queue-row")
    assert "逾期未告知,视为受理" in row.inner_text()
    page.screenshot(path=artifact("registration-app-queue-desktop.png"), full_page=True)
    page.get_by_label("期限").select_option("decision")
    page.get_by_test_id("queue-empty").wait_for()


def test_applicant_applies_on_a_phone_in_large_type(phone_page, live_server, monkeypatch):
    page = phone_page
    support.Clock(monkeypatch)
    support.services()
    page.goto(f"{live_server.url}/socialorg/apply/")
    page.get_by_test_id("large-type").click()
    assert "large-type" in (page.locator("body").get_attribute("class") or "")
    page.get_by_test_id("apply-pne-establish").click()
    assert "large-type" in (page.locator("body").get_attribute("class") or "")  # remembered
    page.get_by_label("拟成立组织名称").fill("湖田老年合唱团")
    page.get_by_label("申请人(经办人)姓名").fill("张桂兰")
    page.get_by_label("手机号码").fill("13900139000")
    page.get_by_text("法人", exact=True).click()
    page.get_by_text("是,属于这四类之一").click()
    page.get_by_text("签署告知承诺书", exact=True).click()
    page.get_by_text("自有房屋").click()
    page.get_by_test_id("save-application").click()
    code = page.get_by_test_id("tracking-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    application = Application.objects.get()
    rows = page.get_by_test_id("material-row")
    assert "业务主管单位" not in " ".join(rows.all_inner_texts())  # direct registration
    assert "资金到位告知承诺书" in " ".join(rows.all_inner_texts())
    page.get_by_test_id("commitment-create").click()
    page.get_by_test_id("commitment-pdf").wait_for()
    charter = MaterialRequirement.objects.get(service=application.service, code="charter")
    page.get_by_label("材料项目").select_option(value=f"r{charter.pk}")
    page.locator("#id_upload-file").set_input_files(pdf_payload("章程.pdf"))
    page.get_by_test_id("upload").click()
    page.get_by_text("材料已上传").wait_for()
    charter_row = page.locator(f"[data-testid=material-row][data-key=r{charter.pk}]")
    assert "待审查" in charter_row.inner_text()
    # Not everything is uploaded: the page says what is missing before it goes in.
    missing = page.get_by_test_id("missing-materials")
    assert "资金到位告知承诺书" in missing.inner_text()
    page.screenshot(path=artifact("registration-app-track-phone.png"), full_page=True)
    page.get_by_test_id("submit").click()  # without the confirmation: the browser asks for the box first
    assert page.get_by_test_id("missing-materials").is_visible()
    application.refresh_from_db()
    assert application.state == State.DRAFT
    page.get_by_label("缺少材料,仍要提交", exact=False).check()
    page.get_by_test_id("submit").click()
    assert page.get_by_test_id("state-help").inner_text().startswith("窗口正在初审")
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.assisted is False
