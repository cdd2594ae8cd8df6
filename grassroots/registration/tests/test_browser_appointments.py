"""Browser tests: an elderly applicant on a phone gets the one-time notice in
large type and its PDF, books an appointment, cancels one by the SMS link;
window staff see the booking in the calendar and mark it attended."""

from __future__ import annotations

import datetime
import re

import pytest

from grassroots.accounts.roles import Role
from grassroots.core.models import Notification
from grassroots.registration.models import Appointment
from grassroots.registration.services import appointments as svc
from grassroots.registration.services.seed import seed_catalogue
from grassroots.testing.browser import login
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory, build_small_tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY = datetime.date(2026, 9, 28)
PHONE = "13800138000"


@pytest.fixture
def today(monkeypatch):
    holder = {"day": MONDAY}
    monkeypatch.setattr(svc, "local_today", lambda: holder["day"])
    return holder


def font_size(page, selector: str = "body") -> float:
    return float(page.eval_on_selector(selector, "el => parseFloat(getComputedStyle(el).fontSize)"))


def test_elderly_applicant_gets_the_notice_for_a_pne_with_a_supervising_unit(phone_page, live_server, today):
    seed_catalogue()
    page = phone_page
    page.goto(f"{live_server.url}/socialorg/notice/")
    normal = font_size(page, "h1")
    page.get_by_test_id("large-type").click()
    assert "large-type" in (page.get_attribute("body", "class") or "")
    assert font_size(page, "h1") > normal
    page.get_by_test_id("notice-service-pne-establish").click()
    page.wait_for_load_state()
    # Large type is remembered across pages (cookie read by the server).
    assert "large-type" in (page.get_attribute("body", "class") or "")
    assert page.get_by_text("是否属于可直接登记的四类组织?").is_visible()

    # Submitting with a question unanswered keeps the other answers and says what is missing.
    page.get_by_text("法人", exact=True).click()
    page.get_by_text("不是,或拿不准").click()
    page.get_by_test_id("notice-submit").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("form-errors").is_visible()
    assert page.get_by_test_id("error-funds_proof").inner_text().strip().endswith("请回答:资金用什么证明?")
    assert page.locator("#q-pne_form-legal").is_checked()
    assert page.locator("#q-direct-no").is_checked()

    page.get_by_text("验资报告", exact=True).click()
    page.get_by_text("租用的房屋").click()
    page.get_by_test_id("notice-submit").click()
    page.wait_for_load_state()
    materials = page.get_by_test_id("materials")
    assert materials.get_by_text("业务主管单位的批准文件").is_visible()
    assert page.get_by_test_id("material-capital-report").get_by_test_id("badge-commitment").is_visible()
    assert page.get_by_test_id("material-legal-representative").is_visible()
    assert page.get_by_test_id("material-count").inner_text() == "8"

    href = page.get_by_test_id("notice-pdf").get_attribute("href")
    assert href and href.startswith("/socialorg/notice/pdf/?service=pne-establish")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    template = page.request.get(
        live_server.url + page.get_by_test_id("template-supervisor-approval").get_attribute("href")
    )
    assert template.headers["content-type"] == "application/pdf"


def book_on_phone(page, live_server, name: str, phone: str) -> str:
    page.goto(f"{live_server.url}/socialorg/book/")
    page.get_by_test_id("book-service-pne-establish").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("book-date-2026-10-01").count() == 0  # National Day
    page.get_by_test_id("book-date-2026-09-29").click()
    page.wait_for_load_state()
    page.get_by_test_id("book-slot-0900").click()
    page.wait_for_load_state()
    page.get_by_label("姓名").fill(name)
    page.get_by_label("手机号码").fill(phone)
    page.get_by_label("想提前告诉窗口的事").fill("年纪大了,想请工作人员帮忙填表")
    page.get_by_test_id("book-submit").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="预约成功").is_visible()
    assert "2026年9月29日(星期二) 09:00-09:30" in page.get_by_test_id("done-when").inner_text()
    return page.get_by_test_id("appointment-code").inner_text().strip()


def test_applicant_books_and_cancels_by_the_sms_link(phone_page, live_server, today):
    seed_catalogue()
    page = phone_page
    code = book_on_phone(page, live_server, "王秀兰", PHONE)
    appointment = Appointment.objects.get(code=code)
    assert appointment.status == Appointment.Status.BOOKED
    sms = Notification.objects.get(dedupe_key=f"registration.appointment.{appointment.pk}.booked")
    assert code in sms.body
    assert re.fullmatch(r"/socialorg/book/cancel/[A-Za-z0-9_-]{22,}/", sms.link)

    page.goto(f"{live_server.url}{sms.link}")
    assert page.get_by_test_id("cancel-code").inner_text() == code
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.BOOKED  # opening asks first
    page.get_by_test_id("cancel-confirm").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("cancelled").is_visible()
    assert page.get_by_text("预约已取消,这个时段已让给其他人。").is_visible()
    assert Appointment.objects.get(pk=appointment.pk).status == Appointment.Status.CANCELLED


def test_window_staff_see_the_booking_and_mark_it_attended(phone_page, page, live_server, today):
    seed_catalogue()
    code = book_on_phone(phone_page, live_server, "王秀兰", PHONE)
    tree = build_small_tree()
    UserFactory(username="window1", role=Role.WINDOW_STAFF, jurisdiction=tree.subdistrict)
    today["day"] = datetime.date(2026, 9, 29)
    login(page, live_server, "window1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/registration/appointments/")
    item = page.get_by_test_id(f"appointment-{code}")
    assert item.is_visible()
    assert "王**" in item.inner_text() and "138****8000" in item.inner_text()
    assert "王秀兰" not in page.content()
    assert (
        item.get_by_test_id(f"assist-{code}")
        .get_attribute("href")
        .endswith(f"?appointment={Appointment.objects.get(code=code).pk}")
    )
    item.get_by_test_id(f"mark-attended-{code}").click()
    page.wait_for_load_state()
    assert page.get_by_test_id(f"status-{code}").inner_text() == "已到场"
    assert Appointment.objects.get(code=code).status == Appointment.Status.ATTENDED
    page.get_by_test_id("view-week").click()
    page.wait_for_load_state()
    assert page.get_by_test_id(f"appointment-{code}").is_visible()
    # 为其办理: on to the assisted application, prefilled from the booking.
    page.get_by_test_id(f"assist-{code}").click()
    page.wait_for_load_state()
    assert f"/registration/applications/new/?appointment={Appointment.objects.get(code=code).pk}" in page.url
