"""In a browser: a social group renews its certificate by mail without a
visit, verified by the SMS code sent to its phone on file; the public
directory finds an organisation by two characters and the certificate's QR
target says 有效; the statistics chart draws under the CSP."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.registration.models import Application, Certificate
from grassroots.registration.services.certificates import verify_path
from grassroots.testing.browser import ARTIFACTS, login
from grassroots.testing.factories import DEFAULT_PASSWORD

from .certificate_support import catalogue, registered, sms_code, window_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INBOUND = "1105330012345"
OUTBOUND = "EA123456785CN"


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"certificates-{name}.png"), full_page=True)


@pytest.fixture
def setting(transactional_db):
    catalogue()
    staff = window_user(username="window1")
    expiring = registered(
        actor=staff,
        org_name="淄博高新区社区社会组织联合会",
        service_code="social-group-establish",
        field="民生",
        issued_on=timezone.localdate() - datetime.timedelta(days=5 * 365 - 20),  # expires in about three weeks
    )
    culture = registered(actor=staff, org_name="淄博高新区文化艺术团", field="文化")
    registered(actor=staff, org_name="淄博高新区体育协会", service_code="social-group-establish", field="体育")
    return {"staff": staff, "expiring": expiring, "culture": culture}


def test_social_group_renews_by_mail_without_a_visit(page, phone_page, live_server, setting):
    old = setting["expiring"]
    code = old.organisation.credit_code

    # The applicant, on a phone: no materials, no visit; only the EMS number of the mailed certificate.
    phone_page.goto(f"{live_server.url}/socialorg/renew/")
    phone_page.get_by_label("统一社会信用代码").fill(code)
    expect(phone_page.get_by_test_id("renew-check-ok")).to_contain_text("淄博高新区社区社会组织联合会")
    expect(phone_page.get_by_test_id("renew-check-ok")).to_contain_text("第五十条")  # fewer than 30 days left
    phone_page.get_by_label("经办人姓名").fill("赵红")
    phone_page.get_by_label("手机号").fill("13800001111")
    phone_page.get_by_label("寄出旧证书的 EMS 运单号").fill(INBOUND)
    # The code goes to the phone on file (the contact of the establishment), masked on screen.
    expect(phone_page.get_by_test_id("renew-recipients")).to_contain_text("139****5678")
    _shot(phone_page, "renew-form-phone")
    phone_page.get_by_test_id("renew-submit").click()
    expect(phone_page.get_by_test_id("masked-phone")).to_have_text("139****5678")
    assert not Application.objects.filter(service__code="renewal").exists()  # nothing filed before the code
    right = sms_code()
    phone_page.get_by_label("6 位验证码").fill("000000" if right != "000000" else "111111")
    phone_page.get_by_test_id("code-submit").click()
    expect(phone_page.get_by_test_id("code-error")).to_contain_text("还可以再试4次")
    _shot(phone_page, "renew-code-phone")
    phone_page.get_by_label("6 位验证码").fill(right)
    phone_page.get_by_test_id("code-submit").click()
    tracking = phone_page.get_by_test_id("tracking-code").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", tracking)
    expect(phone_page.locator(".alert-warning")).to_contain_text("第五十条")
    _shot(phone_page, "renew-done-phone")
    application = Application.objects.get(service__code="renewal")
    assert application.state == "submitted" and not application.materials.exists()

    # The window: the old certificate arrives by post.
    login(page, live_server, "window1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/registration/renewals/")
    mail_in = page.get_by_test_id("mail-in")
    expect(mail_in).to_contain_text("淄博高新区社区社会组织联合会")
    expect(mail_in).to_contain_text(INBOUND)
    mail_in.get_by_test_id("mark-received").click()
    expect(page.get_by_test_id("in-progress")).to_contain_text("淄博高新区社区社会组织联合会")
    _shot(page, "renewals-received-desktop")

    # Accept and approve on the application's page; approval issues the new certificate.
    page.get_by_test_id("in-progress").get_by_role("link", name="受理 / 审批").click()
    page.get_by_test_id("action-accept").locator("summary").click()
    page.get_by_test_id("do-accept").click()
    expect(page.get_by_test_id("action-approve")).to_be_visible()
    page.get_by_test_id("action-approve").locator("summary").click()
    page.get_by_test_id("do-approve").click()
    expect(page.get_by_test_id("no-actions")).to_be_visible()
    application.refresh_from_db()
    assert application.state == "issued"
    new = application.certificate
    assert new.replaces_id == old.pk and new.organisation.credit_code == code

    # Mail the new certificate out (free), with its EMS number.
    page.goto(f"{live_server.url}/registration/renewals/")
    mail_out = page.get_by_test_id("mail-out")
    mail_out.get_by_test_id("outbound").fill(OUTBOUND.lower())
    mail_out.get_by_test_id("mail-out-submit").click()
    expect(page.get_by_test_id("count-mail-out")).to_have_text("0")
    expect(page.locator(".alert-success")).to_contain_text("已登记寄出")

    # The applicant's tracking page shows the certificate mailed with its EMS number.
    phone_page.get_by_test_id("track-link").click()
    expect(phone_page.get_by_test_id("tracking-code")).to_have_text(tracking)
    expect(phone_page.locator("body")).to_contain_text(f"运单号 {OUTBOUND}")
    _shot(phone_page, "track-mailed-phone")

    # The old certificate's QR code now says replaced, and names the new one.
    phone_page.goto(f"{live_server.url}{verify_path(Certificate.objects.get(pk=old.pk))}")
    expect(phone_page.get_by_test_id("verdict")).to_have_text("已换发(此证书已作废)")
    expect(phone_page.get_by_test_id("verify-result")).to_contain_text(new.number)
    _shot(phone_page, "verify-replaced-phone")
    assert Certificate.objects.get(pk=old.pk).status == Certificate.Status.REPLACED


def test_directory_finds_by_two_characters_and_qr_says_valid(phone_page, page, live_server, setting):
    certificate = setting["culture"]
    phone_page.goto(f"{live_server.url}/socialorg/directory/")
    phone_page.get_by_label("名称或统一社会信用代码").fill("文化")
    phone_page.get_by_test_id("directory-search").click()
    results = phone_page.get_by_test_id("directory-results")
    expect(results).to_contain_text("淄博高新区文化艺术团")
    expect(results).not_to_contain_text("淄博高新区体育协会")
    _shot(phone_page, "directory-phone")
    results.get_by_role("link", name="淄博高新区文化艺术团").click()
    expect(phone_page.get_by_test_id("org-name")).to_have_text("淄博高新区文化艺术团")
    expect(phone_page.get_by_test_id("verdict")).to_have_text("有效")

    # The large-type toggle is remembered across pages.
    phone_page.get_by_test_id("large-type").click()
    expect(phone_page.locator("body")).to_have_class(re.compile(r"large-type"))
    _shot(phone_page, "organisation-large-phone")

    # Scanning the printed QR code opens this page.
    phone_page.goto(f"{live_server.url}{verify_path(certificate)}")
    expect(phone_page.locator("body")).to_have_class(re.compile(r"large-type"))
    expect(phone_page.get_by_test_id("verdict")).to_have_text("有效")
    expect(phone_page.get_by_test_id("certificate-number")).to_have_text(certificate.number)
    _shot(phone_page, "verify-valid-phone")

    # A mistyped code is caught by its check characters.
    page.goto(f"{live_server.url}/socialorg/verify/")
    code = certificate.organisation.credit_code
    page.get_by_label("统一社会信用代码").fill(code[:-1] + ("0" if code[-1] != "0" else "1"))
    page.get_by_role("button", name="核验").click()
    expect(page.get_by_test_id("verify-error")).to_contain_text("校验码不正确")
    _shot(page, "verify-typo-desktop")
    page.goto(f"{live_server.url}/socialorg/directory/")
    _shot(page, "directory-desktop")


def test_staff_pages_and_statistics_chart(page, phone_page, live_server, setting):
    login(page, live_server, "window1", DEFAULT_PASSWORD)
    page.goto(f"{live_server.url}/registration/organisations/")
    expect(page.get_by_test_id("organisation-table")).to_contain_text("淄博高新区社区社会组织联合会")
    expect(page.get_by_test_id("organisation-table")).to_contain_text("天后到期")
    _shot(page, "organisations-desktop")
    page.get_by_role("link", name="淄博高新区社区社会组织联合会").click()
    expect(page.get_by_test_id("certificate-chain")).to_contain_text(setting["expiring"].number)
    _shot(page, "organisation-detail-desktop")
    page.goto(f"{live_server.url}/registration/stats/")
    expect(page.locator("#stats-chart svg")).to_be_visible()
    expect(page.get_by_test_id("total-issued")).to_have_text("2")  # two issued this year (one was back-dated)
    _shot(page, "stats-desktop")

    # The same staff pages on a phone.
    login(phone_page, live_server, "window1", DEFAULT_PASSWORD)
    for name, url in (("renewals", "/registration/renewals/"), ("stats", "/registration/stats/")):
        phone_page.goto(f"{live_server.url}{url}")
        _shot(phone_page, f"{name}-phone")
    expect(phone_page.locator("#stats-chart svg")).to_be_visible()
