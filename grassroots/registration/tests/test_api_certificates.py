"""API of the certificates part: success, bad input, roles (anonymous 401,
wrong role 403) and unknown codes (404) for every endpoint."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.validators import make_uscc
from grassroots.registration.models import Application, Certificate, Organisation
from grassroots.registration.services.certificates import certificate_issue
from grassroots.registration.services.renewal import renewal_mark_received, renewal_request
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

BASE = "/api/v1/registration"
UNKNOWN = make_uscc(authority="5", org_type="2", division="370303", org_code8="MJ888888")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def staff(db):
    catalogue()
    return window_user()


@pytest.fixture
def orgs(staff):
    expiring = timezone.localdate() - datetime.timedelta(days=5 * 365 - 40)
    return [
        registered(actor=staff, org_name="淄博高新区文化艺术团", field="文化", issued_on=expiring),
        registered(actor=staff, org_name="淄博高新区体育协会", service_code="social-group-establish", field="体育"),
    ]


def _renewal(orgs):
    return renewal_request(
        organisation_credit_code=orgs[0].organisation.credit_code,
        applicant_name="赵红",
        phone="13800001111",
        inbound_tracking="1234567890123",
    )


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


# --- Roles on staff endpoints -------------------------------------------------------


def _staff_requests(orgs):
    organisation, certificate = orgs[0].organisation, orgs[0]
    return [
        ("get", f"{BASE}/organisations", None),
        ("get", f"{BASE}/organisations/{organisation.pk}", None),
        ("get", f"{BASE}/certificates", None),
        ("get", f"{BASE}/certificates/{certificate.pk}", None),
        ("get", f"{BASE}/certificates/{certificate.pk}/pdf", None),
        ("get", f"{BASE}/renewals/waiting", None),
        ("post", f"{BASE}/renewals/1/receive", {}),
        ("post", f"{BASE}/renewals/1/mail-out", {"outbound_tracking": "1234567890123"}),
        ("get", f"{BASE}/stats", None),
        ("post", f"{BASE}/organisations/{organisation.pk}/revoke", {"reason": "x"}),
    ]


def test_staff_endpoints_anonymous_401(api, orgs):
    for method, url, data in _staff_requests(orgs):
        body = _problem(getattr(api, method)(url, data, format="json"), 401)
        assert body["title"] == "需要登录", url


def test_staff_endpoints_wrong_role_403(api, orgs):
    api.force_authenticate(user_with_role(Role.SUBDISTRICT_STAFF))
    for method, url, data in _staff_requests(orgs):
        _problem(getattr(api, method)(url, data, format="json"), 403)
    assert Organisation.objects.filter(status=Organisation.Status.ACTIVE).count() == 2


# --- Organisations and certificates -----------------------------------------------


def test_organisation_list_detail_and_filters(api, orgs, staff, django_assert_max_num_queries):
    api.force_authenticate(staff)
    with django_assert_max_num_queries(8):
        body = api.get(f"{BASE}/organisations", {"q": "体育"}).json()
    assert [row["name"] for row in body["results"]] == ["淄博高新区体育协会"]
    assert api.get(f"{BASE}/organisations", {"kind": "pne"}).json()["count"] == 1
    detail = api.get(f"{BASE}/organisations/{orgs[0].organisation.pk}").json()
    assert detail["credit_code"] == orgs[0].organisation.credit_code
    assert [c["number"] for c in detail["certificates"]] == [orgs[0].number]
    assert "verify_token" not in detail["certificates"][0]
    _problem(api.get(f"{BASE}/organisations/999999"), 404)


def test_certificate_list_filters_and_bad_input(api, orgs, staff):
    api.force_authenticate(staff)
    assert api.get(f"{BASE}/certificates").json()["count"] == 2
    expiring = api.get(f"{BASE}/certificates", {"expiring_within": 60}).json()
    assert [row["number"] for row in expiring["results"]] == [orgs[0].number]
    assert expiring["results"][0]["organisation"] == "淄博高新区文化艺术团"
    assert _problem(api.get(f"{BASE}/certificates", {"status": "lost"}), 400)["errors"]["status"]
    assert _problem(api.get(f"{BASE}/certificates", {"expiring_within": "-3"}), 400)["errors"]["expiring_within"]
    detail = api.get(f"{BASE}/certificates/{orgs[1].pk}").json()
    assert detail["status"] == "valid" and "verify_token" not in detail
    _problem(api.get(f"{BASE}/certificates/999999"), 404)


def test_certificate_pdf(api, orgs, staff):
    api.force_authenticate(staff)
    response = api.get(f"{BASE}/certificates/{orgs[0].pk}/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    _problem(api.get(f"{BASE}/certificates/999999/pdf"), 404)


def test_revoke(api, orgs, staff):
    api.force_authenticate(staff)
    organisation = orgs[1].organisation
    assert _problem(api.post(f"{BASE}/organisations/{organisation.pk}/revoke", {}, format="json"), 400)["errors"]
    body = api.post(f"{BASE}/organisations/{organisation.pk}/revoke", {"reason": "告知承诺不实"}, format="json")
    assert body.status_code == 200 and body.json()["status"] == "revoked"
    assert Certificate.objects.get(pk=orgs[1].pk).status == Certificate.Status.REVOKED
    assert _problem(api.post(f"{BASE}/organisations/{organisation.pk}/revoke", {"reason": "再"}, format="json"), 409)
    _problem(api.post(f"{BASE}/organisations/999999/revoke", {"reason": "x"}, format="json"), 404)


# --- Public: directory and verify -------------------------------------------------


def test_directory_is_public_and_has_no_personal_data(api, orgs):
    body = api.get(f"{BASE}/directory", {"q": "文化"}).json()
    assert [row["name"] for row in body["results"]] == ["淄博高新区文化艺术团"]
    row = body["results"][0]
    assert row["legal_representative"] == "王建国"
    assert "id" not in row and PHONE not in str(body) and "李秀英" not in str(body)
    assert api.get(f"{BASE}/directory", {"kind": "nonsense"}).json()["count"] == 2  # unknown filters ignored
    code = orgs[1].organisation.credit_code
    detail = api.get(f"{BASE}/directory/{code}").json()
    assert detail["name"] == "淄博高新区体育协会"
    assert detail["certificates"][0]["number"] == orgs[1].number
    _problem(api.get(f"{BASE}/directory/{UNKNOWN}"), 404)


def test_verify_public(api, orgs, staff):
    certificate = orgs[1]
    code = certificate.organisation.credit_code
    body = api.get(f"{BASE}/verify/{code}", {"t": certificate.verify_token}).json()
    assert body["verdict"] == "valid" and body["label"] == "有效"
    assert body["certificate"]["number"] == certificate.number
    renewal = approved_renewal(organisation=certificate.organisation)
    new = certificate_issue(actor=staff, application=renewal)
    body = api.get(f"{BASE}/verify/{code}", {"t": certificate.verify_token}).json()
    assert body["verdict"] == "replaced" and body["current"]["number"] == new.number
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert "校验码不正确" in _problem(api.get(f"{BASE}/verify/{typo}"), 400)["detail"]
    _problem(api.get(f"{BASE}/verify/abc"), 400)
    _problem(api.get(f"{BASE}/verify/{UNKNOWN}"), 404)


# --- Renewal by mail ----------------------------------------------------------------


def test_renewal_request_public(api, orgs):
    data = {
        "credit_code": orgs[0].organisation.credit_code,
        "applicant_name": "赵红",
        "phone": "13800001111",
        "inbound_tracking": "XX123456785CN",
    }
    response = api.post(f"{BASE}/renewals", data, format="json")
    assert response.status_code == 202, response.content
    started = response.json()
    assert started["recipient"] == "contact" and started["masked_phone"] == "139****5678"
    assert not Application.objects.filter(service__code="renewal").exists()  # nothing filed before the code
    response = api.post(f"{BASE}/renewals/verify", {"token": started["token"], "code": sms_code()}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    application = Application.objects.get(service__code="renewal")
    assert body["tracking_code"] == application.tracking_code
    assert body["state"] == "submitted" and body["warning"] == ""
    assert application.inbound_tracking == "XX123456785CN"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"inbound_tracking": "bad"}, 400),
        ({"phone": "1"}, 400),
        ({"applicant_name": ""}, 400),
        ({"credit_code": UNKNOWN}, 400),
    ],
)
def test_renewal_request_bad_input(api, orgs, change, status):
    data = {
        "credit_code": orgs[0].organisation.credit_code,
        "applicant_name": "赵红",
        "phone": "13800001111",
        "inbound_tracking": "1234567890123",
    }
    data.update(change)
    _problem(api.post(f"{BASE}/renewals", data, format="json"), status)
    assert not Application.objects.filter(service__code="renewal").exists()


def test_renewal_request_is_rate_limited(api, orgs):
    for _ in range(10):
        api.post(f"{BASE}/renewals", {}, format="json")
    body = _problem(api.post(f"{BASE}/renewals", {}, format="json"), 429)
    assert "请求过于频繁" in body["detail"]


def test_waiting_receive_and_mail_out(api, orgs, staff):
    application = _renewal(orgs)
    api.force_authenticate(staff)
    waiting = api.get(f"{BASE}/renewals/waiting").json()
    assert [row["id"] for row in waiting["mail_in"]] == [application.pk]
    assert waiting["mail_in"][0]["applicant_phone"] == "138****1111"
    response = api.post(f"{BASE}/renewals/{application.pk}/receive")
    assert response.status_code == 200 and response.json()["old_certificate_received_at"]
    _problem(api.post(f"{BASE}/renewals/{application.pk}/receive"), 409)
    _problem(api.post(f"{BASE}/renewals/{application.pk}/mail-out", {"outbound_tracking": "1234567890123"}), 409)
    Application.objects.filter(pk=application.pk).update(state=State.APPROVED)
    certificate_issue(actor=staff, application=application)
    _problem(api.post(f"{BASE}/renewals/{application.pk}/mail-out", {"outbound_tracking": "12"}, format="json"), 400)
    _problem(api.post(f"{BASE}/renewals/{application.pk}/mail-out", {}, format="json"), 400)
    response = api.post(f"{BASE}/renewals/{application.pk}/mail-out", {"outbound_tracking": "1234567890123"})
    assert response.status_code == 200
    assert response.json()["outbound_tracking"] == "1234567890123"
    assert response.json()["certificate"]
    _problem(api.post(f"{BASE}/renewals/999999/receive"), 404)
    _problem(api.post(f"{BASE}/renewals/999999/mail-out", {"outbound_tracking": "1234567890123"}), 404)


def test_receive_rejects_applications_that_are_not_mail_renewals(api, orgs, staff):
    api.force_authenticate(staff)
    _problem(api.post(f"{BASE}/renewals/{orgs[0].application.pk}/receive"), 400)


def test_renewal_flow_receive_then_waiting_in_progress(api, orgs, staff):
    application = _renewal(orgs)
    renewal_mark_received(actor=staff, application=application)
    api.force_authenticate(staff)
    waiting = api.get(f"{BASE}/renewals/waiting").json()
    assert [row["id"] for row in waiting["in_progress"]] == [application.pk]
    assert waiting["mail_in"] == []


# --- Statistics -------------------------------------------------------------------


def test_stats(api, orgs, staff):
    api.force_authenticate(staff)
    body = api.get(
        f"{BASE}/stats", {"from": f"{timezone.localdate().year}-01-01", "to": timezone.localdate().isoformat()}
    ).json()
    assert body["total"]["name"] == "合计"
    assert {row["service"] for row in body["services"]} >= {"pne-establish", "renewal"}
    assert _problem(api.get(f"{BASE}/stats", {"from": "2026-02-30"}), 400)["errors"]["from"]
    assert _problem(api.get(f"{BASE}/stats", {"from": "2026-05-01", "to": "2026-04-01"}), 400)["errors"]["from"]
