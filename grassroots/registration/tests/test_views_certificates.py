"""Pages of the certificates part: the public directory, verification and
renewal by mail (no login), and the window staff's organisation, renewal and
statistics pages."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.registration.models import Application, Certificate, Organisation
from grassroots.registration.services.certificates import certificate_issue
from grassroots.registration.services.renewal import renewal_mark_received, renewal_request
from grassroots.registration.services.workflow import format_tracking_code
from grassroots.registration.states import State

from .certificate_support import (
    PHONE,
    approved_renewal,
    catalogue,
    registered,
    sms_code,
    user_with_role,
    window_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    catalogue()
    return window_user()


@pytest.fixture
def orgs(staff):
    issued = timezone.localdate() - datetime.timedelta(days=5 * 365 - 40)  # expires in about 40 days
    return [
        registered(actor=staff, org_name="淄博高新区文化艺术团", field="文化", issued_on=issued),
        registered(actor=staff, org_name="淄博高新区体育协会", service_code="social-group-establish", field="体育"),
    ]


def _typo(code: str) -> str:
    return code[:12] + ("1" if code[12] != "1" else "2") + code[13:]


# --- Directory ----------------------------------------------------------------------


def test_directory_search_is_public_and_shows_no_personal_data(client, orgs, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/socialorg/directory/", {"q": "文化"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "淄博高新区文化艺术团" in html and "淄博高新区体育协会" not in html
    assert PHONE not in html and "李秀英" not in html  # the applicant
    assert client.get("/socialorg/directory/", {"kind": "social_group"}).context["page"].paginator.count == 1
    assert client.get("/socialorg/directory/", {"field": "文化", "status": "revoked"}).context["rows"] == []


def test_directory_paginates(client, staff):
    for n in range(23):
        registered(actor=staff, org_name=f"测试组织{n:02d}")
    first = client.get("/socialorg/directory/")
    assert len(first.context["rows"]) == 20
    assert len(client.get("/socialorg/directory/", {"page": 2}).context["rows"]) == 3


def test_organisation_page_and_unknown_code(client, orgs):
    code = orgs[0].organisation.credit_code
    response = client.get(f"/socialorg/directory/{code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "王建国" in html  # the legal representative, as printed on the certificate
    assert orgs[0].number in html
    assert orgs[0].verify_token not in html
    assert PHONE not in html
    assert client.get("/socialorg/directory/52370303MJ9999999X/").status_code == 404


# --- Verification -------------------------------------------------------------------


def test_verify_form_checks_the_check_characters_first(client, orgs):
    code = orgs[0].organisation.credit_code
    assert client.get("/socialorg/verify/").status_code == 200
    response = client.get("/socialorg/verify/", {"code": _typo(code)})
    assert response.status_code == 400
    assert "校验码不正确" in response.content.decode()
    response = client.get("/socialorg/verify/", {"code": f" {code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/socialorg/verify/{code}/"


def test_verify_page_verdicts(client, orgs, staff):
    certificate = orgs[1]
    code = certificate.organisation.credit_code
    response = client.get(f"/socialorg/verify/{code}/", {"t": certificate.verify_token})
    assert response.status_code == 200
    assert "有效" in response.content.decode()
    new = certificate_issue(actor=staff, application=approved_renewal(organisation=certificate.organisation))
    replaced = client.get(f"/socialorg/verify/{code}/", {"t": certificate.verify_token}).content.decode()
    assert "已换发" in replaced and new.number in replaced
    assert client.get(f"/socialorg/verify/{_typo(code)}/").status_code == 400
    assert client.get("/socialorg/verify/52370303MJ9999999X/").status_code in (400, 404)


# --- Renewal by mail ----------------------------------------------------------------


def _renew_post(client, code, **overrides):
    data = {"credit_code": code, "applicant_name": "赵红", "phone": "13800001111", "inbound_tracking": "1234567890123"}
    data.update(overrides)
    return client.post("/socialorg/renew/", data)


def _renew_verified(client, code, **overrides):
    """Both steps: the request, then the code from the SMS."""
    response = _renew_post(client, code, **overrides)
    assert response.status_code == 302, response.content.decode()
    return client.post(response["Location"], {"code": sms_code()})


def test_renew_form_large_type_cookie(client, staff):
    client.cookies["largetype"] = "1"
    response = client.get("/socialorg/renew/")
    assert response.status_code == 200
    assert 'class="reg-public large-type"' in response.content.decode()


def test_renew_success_shows_tracking_code(client, orgs):
    code = orgs[0].organisation.credit_code
    response = _renew_verified(client, code)
    application = Application.objects.get(service__code="renewal")
    assert response.status_code == 302
    assert response["Location"] == f"/socialorg/renew/done/{application.tracking_code}/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert format_tracking_code(application.tracking_code) in html
    assert "1234567890123" in html
    assert application.inbound_tracking == "1234567890123"


def test_late_renewal_is_warned(client, staff):
    certificate = registered(actor=staff, issued_on=timezone.localdate() - datetime.timedelta(days=5 * 365 - 20))
    response = _renew_verified(client, certificate.organisation.credit_code)
    page = client.get(response["Location"])
    assert "第五十条" in page.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credit_code", "TYPO", "校验码不正确"),
        ("phone", "123", "手机号"),
        ("inbound_tracking", "abc", "EMS 运单号格式不正确"),
    ],
)
def test_renew_bad_input_changes_nothing(client, orgs, field, value, message):
    code = orgs[0].organisation.credit_code
    if value == "TYPO":
        value = _typo(code)
    response = _renew_post(client, code, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Application.objects.filter(service__code="renewal").exists()


def test_renew_too_early_is_refused(client, orgs):
    response = _renew_post(client, orgs[1].organisation.credit_code)  # issued today
    assert response.status_code == 400
    assert "方可申请换证" in response.content.decode()


def test_renew_is_rate_limited(client, orgs):
    for _ in range(10):
        _renew_post(client, "bad")
    response = _renew_post(client, orgs[0].organisation.credit_code)
    assert response.status_code == 429
    assert not Application.objects.filter(service__code="renewal").exists()


def test_renew_check_partial(client, orgs):
    code = orgs[0].organisation.credit_code
    ok = client.get("/socialorg/renew/check/", {"credit_code": code}).content.decode()
    assert "淄博高新区文化艺术团" in ok
    bad = client.get("/socialorg/renew/check/", {"credit_code": _typo(code)}).content.decode()
    assert "校验码不正确" in bad


def test_renew_done_unknown_code(client, staff):
    assert client.get("/socialorg/renew/done/AAAABBBBCCCC/").status_code == 404


def test_applicant_downloads_certificate_with_tracking_code(client, orgs):
    application = orgs[0].application
    response = client.get(f"/socialorg/certificate/{format_tracking_code(application.tracking_code)}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get("/socialorg/certificate/ZZZZZZZZZZZZ/pdf/").status_code == 404


# --- Staff pages --------------------------------------------------------------------

STAFF_PAGES = ["/registration/organisations/", "/registration/renewals/", "/registration/stats/"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_need_login_and_role(client, staff, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(user_with_role(Role.VILLAGE_STAFF))
    assert client.get(url).status_code == 403
    client.force_login(staff)
    assert client.get(url).status_code == 200


def test_organisation_list_and_detail(client, orgs, staff, django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get("/registration/organisations/", {"q": "体育"})
    assert [row[0].name for row in response.context["rows"]] == ["淄博高新区体育协会"]
    organisation = orgs[0].organisation
    detail = client.get(f"/registration/organisations/{organisation.pk}/").content.decode()
    assert organisation.credit_code in detail and orgs[0].number in detail
    assert "撤销登记" in detail
    assert client.get("/registration/organisations/999999/").status_code == 404


def test_revoke_from_the_organisation_page(client, orgs, staff):
    organisation = orgs[0].organisation
    client.force_login(staff)
    response = client.post(f"/registration/organisations/{organisation.pk}/revoke/", {"reason": " "})
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.ACTIVE
    client.post(f"/registration/organisations/{organisation.pk}/revoke/", {"reason": "告知承诺不实"})
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.REVOKED
    assert Certificate.objects.get(pk=orgs[0].pk).status == Certificate.Status.REVOKED


def test_staff_certificate_pdf(client, orgs, staff):
    client.force_login(staff)
    response = client.get(f"/registration/certificates/{orgs[0].pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    client.force_login(user_with_role(Role.GRID_WORKER))
    assert client.get(f"/registration/certificates/{orgs[0].pk}/pdf/").status_code == 403


def test_renewals_page_receive_and_mail_out(client, orgs, staff):
    application = renewal_request(
        organisation_credit_code=orgs[0].organisation.credit_code,
        applicant_name="赵红",
        phone="13800001111",
        inbound_tracking="1234567890123",
    )
    client.force_login(staff)
    page = client.get("/registration/renewals/")
    assert [row["application"] for row in page.context["mail_in"]] == [application]
    assert "138****1111" in page.content.decode() and "13800001111" not in page.content.decode()
    client.post(f"/registration/renewals/{application.pk}/received/")
    application.refresh_from_db()
    assert application.old_certificate_received_at is not None
    Application.objects.filter(pk=application.pk).update(state=State.APPROVED)
    certificate_issue(actor=staff, application=application)
    bad = client.post(f"/registration/renewals/{application.pk}/mail-out/", {"outbound": "x"}, follow=True)
    assert "EMS 运单号格式不正确" in bad.content.decode()
    application.refresh_from_db()
    assert application.mailed_at is None
    client.post(f"/registration/renewals/{application.pk}/mail-out/", {"outbound": "XX987654326CN"})
    application.refresh_from_db()
    assert application.outbound_tracking == "XX987654326CN"
    assert client.get("/registration/renewals/").context["mail_out"] == []


def test_receive_needs_window_work(client, orgs):
    application = renewal_request(
        organisation_credit_code=orgs[0].organisation.credit_code,
        applicant_name="赵红",
        phone="13800001111",
        inbound_tracking="1234567890123",
    )
    client.force_login(user_with_role(Role.SUBDISTRICT_STAFF))
    assert client.post(f"/registration/renewals/{application.pk}/received/").status_code == 403
    application.refresh_from_db()
    assert application.old_certificate_received_at is None


def test_stats_page_chart_data_and_table(client, orgs, staff):
    client.force_login(staff)
    response = client.get(
        "/registration/stats/", {"from": f"{timezone.localdate().year}-01-01", "to": timezone.localdate().isoformat()}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="stats-chart-data"' in html and 'type="application/json"' in html
    assert "vendor/echarts/echarts.min.js" in html and "<script>" not in html  # no inline script (CSP)
    assert response.context["rows"][-1][0] == "合计"
    bad = client.get("/registration/stats/", {"from": "2026-13-01"})
    assert bad.status_code == 400 and "日期格式不正确" in bad.content.decode()


def test_stats_export_is_excel_and_audited(client, orgs, staff):
    client.force_login(staff)
    response = client.get(
        "/registration/stats/export/",
        {"from": f"{timezone.localdate().year}-01-01", "to": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["A1"].value == "事项"
    assert [row[0] for row in sheet.iter_rows(values_only=True)][-1] == "合计"
    assert AuditEntry.objects.filter(action="data.export", object_type="registration.stats").exists()


def test_renewal_page_after_mark_received_via_service(client, orgs, staff):
    application = renewal_request(
        organisation_credit_code=orgs[0].organisation.credit_code,
        applicant_name="赵红",
        phone="13800001111",
        inbound_tracking="1234567890123",
    )
    renewal_mark_received(actor=staff, application=application)
    client.force_login(staff)
    page = client.get("/registration/renewals/")
    assert [row["application"] for row in page.context["in_progress"]] == [application]
