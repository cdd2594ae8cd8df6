"""Issue 6, "Done when", in a browser: an elderly applicant's private
non-enterprise unit is booked, filled in by staff on their behalf, returned
once for a missing supervising-unit approval, resubmitted with a signed
commitment replacing the capital report, approved and issued the same day
with a certificate whose credit code validates. (Deadlines across the 2026
National Day holiday: test_clock.py and test_decisions.py.)"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from grassroots.core.models import Notification
from grassroots.core.validators import is_valid_uscc_strict
from grassroots.registration.models import Application, Appointment, Certificate, Commitment, ReturnNotice
from grassroots.registration.states import State
from grassroots.testing.browser import artifact, login
from grassroots.testing.factories import DEFAULT_PASSWORD

from . import support_applications as support

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "王秀英"
UPLOADED = {
    "民办非企业单位成立登记申请书": "申请书.pdf",
    "住所(场所)产权证明": "房产证.pdf",
    "租赁协议或无偿使用证明": "租赁协议.pdf",
    "拟任负责人的基本情况、身份证明": "负责人.pdf",
    "法定代表人登记表": "法定代表人登记表.pdf",
    "章程草案": "章程草案.pdf",
}


def pdf_payload(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": support.pdf_bytes(name)}


def htmx_submit(page: Any, button: Any, notice: str) -> None:
    """Click and wait until htmx has swapped in the new panel with `notice`
    (the old panel may show the same notice from the previous action)."""
    old = page.get_by_test_id("app-panel").element_handle()
    button.click()
    old.wait_for_element_state("hidden")
    page.get_by_test_id("notice").filter(has_text=notice).wait_for()


def open_action(page: Any, name: str) -> Any:
    card = page.get_by_test_id(f"action-{name}")
    if card.get_attribute("open") is None:
        card.locator("summary").click()
    return card


def run_action(page: Any, name: str, notice: str) -> None:
    htmx_submit(page, open_action(page, name).get_by_test_id(f"do-{name}"), notice)


def upload(page: Any, requirement: str, file_name: str) -> None:
    card = open_action(page, "upload")
    card.get_by_label("材料项目").select_option(label=requirement)
    card.locator("input[type=file]").set_input_files(pdf_payload(file_name))
    htmx_submit(page, card.get_by_test_id("do-upload"), "材料已上传")


def review(page: Any, verdicts: dict[str, tuple[str, str]]) -> None:
    """Set every line of the review form: `verdicts` by material name, the rest 符合."""
    form = page.get_by_test_id("review-form")
    for row in form.get_by_test_id("material-row").all():
        select = row.locator("select")
        if select.count() == 0:
            continue  # replaced by the commitment
        text = row.inner_text()
        match = next((name for name in verdicts if name in text), None)
        if match:
            status, reason = verdicts[match]
            select.select_option(status)
            row.locator("input[type=text]").fill(reason)
        else:
            select.select_option("ok")
    htmx_submit(page, form.get_by_test_id("do-review"), "审查结论已记录")


def book_on_phone(page: Any, live_server: Any) -> Appointment:
    page.goto(f"{live_server.url}/socialorg/book/")
    page.get_by_test_id("large-type").click()  # an elderly applicant
    page.get_by_test_id("book-service-pne-establish").click()
    page.wait_for_load_state()
    page.get_by_test_id("book-date-2026-09-29").click()
    page.wait_for_load_state()
    page.get_by_test_id("book-slot-0900").click()
    page.wait_for_load_state()
    page.get_by_label("姓名").fill(NAME)
    page.get_by_label("手机号码").fill(support.PHONE)
    page.get_by_label("想提前告诉窗口的事").fill("七十多岁了,想请工作人员帮忙填表、上传材料")
    page.get_by_test_id("book-submit").click()
    page.wait_for_load_state()
    code = page.get_by_test_id("appointment-code").inner_text().strip()
    return Appointment.objects.get(code=code)


def test_done_when(page, phone_page, live_server, monkeypatch):
    clock = support.Clock(monkeypatch)  # Monday 28 September 2026
    support.services()
    support.staff("window1", display_name="窗口李芳")

    # 1. Booked on a phone, in large type.
    appointment = book_on_phone(phone_page, live_server)
    assert appointment.date == datetime.date(2026, 9, 29)

    # 2. At the window on the day: staff fill in on the applicant's behalf (帮办).
    clock.day(datetime.date(2026, 9, 29), hour=9)
    login(page, live_server, "window1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/registration/appointments/")
    page.get_by_test_id(f"assist-{appointment.code}").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("from-appointment").is_visible()
    assert page.get_by_label("申请人(经办人)姓名").input_value() == NAME
    page.get_by_label("拟成立组织名称").fill("湖田颐养服务中心")
    page.get_by_label("业务领域").fill("养老服务")
    page.get_by_label("住所").fill("张店区湖田街道西张村 18 号")
    page.get_by_label("业务主管单位").fill("张店区民政局")
    page.get_by_label("开办(活动)资金(元)").fill("100000")
    page.get_by_label("业务范围").fill("为辖区老年人提供日间照料、助餐和文体活动。")
    page.get_by_label("法人", exact=True).check()
    page.get_by_label("不是,或拿不准").check()
    page.get_by_label("验资报告").check()
    page.get_by_label("租用的房屋").check()
    page.get_by_test_id("save-application").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("assisted-badge").is_visible()
    application = Application.objects.get()
    assert application.appointment == appointment

    for requirement, file_name in UPLOADED.items():
        upload(page, requirement, file_name)
    # Two materials are not at hand: the window is told which, and submits knowingly (Art. 32).
    card = open_action(page, "submit")
    assert "业务主管单位的批准文件" in card.get_by_test_id("missing-materials").inner_text()
    card.get_by_label("缺少材料,仍要提交", exact=False).check()
    run_action(page, "submit", "已提交")

    # 3. Preliminary review: returned once, every gap in one notice.
    review(
        page,
        {
            "业务主管单位的批准文件": ("missing", "请提交张店区民政局同意举办的批准文件"),
            "验资报告": ("missing", "未提交验资报告"),
        },
    )
    run_action(page, "return", "已退回补正")
    notice = ReturnNotice.objects.get()
    assert [item["name"] for item in notice.items] == ["业务主管单位的批准文件", "验资报告"]
    assert "告知承诺书" in notice.items[1]["reason"]
    returned = page.get_by_test_id("return-notice")
    assert "请提交张店区民政局同意举办的批准文件" in returned.inner_text()
    pdf = page.request.get(live_server.url + returned.get_by_role("link").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"

    # The applicant reads the same notice on the phone, from the SMS link.
    sms = Notification.objects.get(dedupe_key=f"reg-app-{application.pk}-returned-{notice.pk}")
    phone_page.goto(live_server.url + sms.link)
    assert "large-type" in (phone_page.get_attribute("body", "class") or "")
    phone_notice = phone_page.get_by_test_id("return-notice")
    assert "业务主管单位的批准文件" in phone_notice.inner_text()
    assert "验资报告" in phone_notice.inner_text()
    phone_page.screenshot(path=artifact("registration-done-returned-phone.png"), full_page=True)

    # 4. Corrected at the window: the approval, and a signed commitment instead of the capital report.
    upload(page, "业务主管单位的批准文件", "民政局批准文件.pdf")
    run_action(page, "commitment-create", "告知承诺书已生成")
    commitment_pdf = page.request.get(live_server.url + page.get_by_test_id("commitment-pdf").get_attribute("href"))
    assert commitment_pdf.body().startswith(b"%PDF")
    card = open_action(page, "commitment-sign")
    card.locator("input[type=file]").set_input_files(pdf_payload("告知承诺书签字.pdf"))
    htmx_submit(page, card.get_by_test_id("do-commitment-sign"), "已上传签字的告知承诺书")
    assert "已签署" in page.get_by_test_id("commitment-status").inner_text()
    run_action(page, "resubmit", "已重新提交")

    # 5. Reviewed, accepted, approved and issued the same day.
    review(page, {})
    run_action(page, "accept", "已受理")
    number = page.get_by_test_id("app-number").inner_text()
    assert number == "SZ2026092900001"
    run_action(page, "approve", "已准予登记")
    assert page.get_by_test_id("app-state").inner_text() == "已发证"
    credit_code = page.get_by_test_id("credit-code").inner_text().strip()
    assert is_valid_uscc_strict(credit_code)
    assert credit_code.startswith("52")
    page.screenshot(path=artifact("registration-done-issued-desktop.png"), full_page=True)

    application.refresh_from_db()
    certificate = Certificate.objects.get(application=application)
    assert application.state == State.ISSUED
    assert certificate.organisation.credit_code == credit_code
    assert certificate.issued_on == application.accepted_on == datetime.date(2026, 9, 29)
    assert application.return_notices.count() == 1
    commitment = Commitment.objects.get(application=application)
    assert commitment.status == Commitment.Status.SIGNED
    assert [r.code for r in commitment.replaces.all()] == ["capital-report"]
    assert commitment.verification_due == datetime.date(2026, 11, 2)  # 20 working days, across National Day
    # Every action at the window is recorded as done for the applicant.
    staff_events = application.events.exclude(actor=None)
    assert staff_events.exists()
    for_applicant = staff_events.filter(action__in=["create", "upload", "submit", "resubmit", "commitment_sign"])
    assert set(for_applicant.values_list("on_behalf_of", flat=True)) == {NAME}
    # The authority's own acts are not "on behalf of" anyone.
    own = staff_events.filter(action__in=["review", "return", "accept", "approve"])
    assert set(own.values_list("on_behalf_of", flat=True)) == {""}

    # The applicant downloads the certificate on the phone.
    phone_page.goto(live_server.url + f"/socialorg/track/{application.tracking_code}/")
    link = phone_page.get_by_test_id("certificate-pdf")
    certificate_pdf = phone_page.request.get(live_server.url + link.get_attribute("href"))
    assert certificate_pdf.headers["content-type"] == "application/pdf"
    phone_page.screenshot(path=artifact("registration-done-issued-phone.png"), full_page=True)
