"""Renewal by mail verified by an SMS code to a phone on file (ADR 0028), and
staff voiding a request; EMS numbers checked with the UPU S10 check digit."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.errors import Conflict, DomainError, NotFound, PermissionDenied, TooManyRequests
from grassroots.core.models import AuditEntry, Notification
from grassroots.core.validators import is_valid_s10, s10_check_digit
from grassroots.registration.models import Application, Certificate, Organisation, RenewalVerification
from grassroots.registration.services import renewal as renewal_services
from grassroots.registration.services import renewal_verification as services
from grassroots.registration.services.decisions import application_void
from grassroots.registration.states import VERIFICATION_TABLE, State, VerificationAction, VerificationState
from grassroots.testing.workflow import assert_table

from .certificate_support import PHONE, catalogue, registered, sms_code, user_with_role, window_user

pytestmark = pytest.mark.django_db

LEGAL_PHONE = "13700002222"


@pytest.fixture
def staff(db):
    catalogue()
    return window_user()


@pytest.fixture
def certificate(staff):
    certificate = registered(actor=staff, issued_on=timezone.localdate() - datetime.timedelta(days=6 * 365))
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=timezone.localdate() + datetime.timedelta(days=40))
    certificate.refresh_from_db()
    return certificate


def _start(certificate, **overrides):
    values = {
        "organisation_credit_code": certificate.organisation.credit_code,
        "applicant_name": "冒名者",
        "phone": "13600003333",
        "inbound_tracking": "1234567890123",
        "client_ip": "10.0.0.1",
    }
    values.update(overrides)
    return services.renewal_verification_start(**values)


def _renewals():
    return Application.objects.filter(service__code="renewal")


# --- UPU S10 ------------------------------------------------------------------------


def test_s10_check_digit():
    assert s10_check_digit("12345678") == "5"
    assert s10_check_digit("47312482") == "9"  # the UPU S10 worked example RR473124829GB
    assert is_valid_s10("EA123456785CN") and is_valid_s10("RR473124829GB")
    assert not is_valid_s10("EA123456784CN")
    # 10 → 0 and 11 → 5
    assert s10_check_digit("00000001") == "4" and s10_check_digit("00000000") == "5"
    assert s10_check_digit("00000008") == "0"  # 7 × 8 = 56, 56 mod 11 = 1


@pytest.mark.parametrize("number", ["EA123456784CN", "ea 1234 5678 4cn"])
def test_wrong_s10_check_digit_is_refused_everywhere(staff, certificate, number):
    with pytest.raises(DomainError) as exc:
        renewal_services.normalise_ems(number)
    assert exc.value.code == "ems_check_digit" and "校验码" in exc.value.message
    with pytest.raises(DomainError):
        _start(certificate, inbound_tracking=number)
    assert not RenewalVerification.objects.exists()
    body = APIClient().post(
        "/api/v1/registration/renewals",
        {
            "credit_code": certificate.organisation.credit_code,
            "applicant_name": "赵红",
            "phone": "13800001111",
            "inbound_tracking": number,
        },
        format="json",
    )
    assert body.status_code == 400
    assert "校验码" in str(body.json())
    assert not RenewalVerification.objects.exists()


def test_page_form_refuses_a_wrong_check_digit(client, certificate):
    response = client.post(
        "/socialorg/renew/",
        {
            "credit_code": certificate.organisation.credit_code,
            "applicant_name": "赵红",
            "phone": "13800001111",
            "inbound_tracking": "EA123456784CN",
        },
    )
    assert response.status_code == 400
    assert "校验码不正确" in response.content.decode()
    assert not RenewalVerification.objects.exists()


def test_mail_out_refuses_a_wrong_check_digit(client, staff, certificate):
    client.force_login(staff)
    application = services.renewal_verification_confirm(token=_start(certificate).token, code=sms_code())
    with pytest.raises(DomainError):
        renewal_services.renewal_mail_out(actor=staff, application=application, outbound_tracking="EA123456784CN")
    response = APIClient()
    response.force_authenticate(staff)
    answer = response.post(
        f"/api/v1/registration/renewals/{application.pk}/mail-out", {"outbound_tracking": "EA123456784CN"}
    )
    assert answer.status_code == 400 and "校验码" in str(answer.json())


# --- The code -----------------------------------------------------------------------


def test_code_goes_to_the_phone_on_file_and_only_the_code_files_the_request(staff, certificate):
    verification = _start(certificate)
    assert not _renewals().exists()  # nothing filed yet
    sms = Notification.objects.get(channel="sms", subject="换证验证码")
    assert sms.address == PHONE  # the contact on file, not the typed 13600003333
    code = sms_code()
    assert code not in verification.code_hash and len(verification.code_hash) == 64  # keyed hash at rest
    assert services.renewal_verification_masked_phone(verification) == "139****5678"
    application = services.renewal_verification_confirm(token=verification.token, code=code)
    assert application.state == State.SUBMITTED and application.inbound_tracking == "1234567890123"
    verification.refresh_from_db()
    assert verification.status == "verified" and verification.application == application
    assert AuditEntry.objects.filter(action=services.AUDIT_VERIFIED).exists()
    with pytest.raises(Conflict):
        services.renewal_verification_confirm(token=verification.token, code=code)
    assert _renewals().count() == 1


def test_legal_representative_can_be_chosen(staff, certificate):
    Organisation.objects.filter(pk=certificate.organisation_id).update(legal_representative_phone=LEGAL_PHONE)
    certificate.organisation.refresh_from_db()
    phones = services.renewal_phones_on_file(certificate.organisation)
    assert [(p.recipient, p.masked) for p in phones] == [
        ("legal_representative", "137****2222"),
        ("contact", "139****5678"),
    ]
    _start(certificate, recipient="legal_representative")
    assert Notification.objects.get(subject="换证验证码").address == LEGAL_PHONE
    with pytest.raises(DomainError) as exc:
        _start(certificate, recipient="someone")
    assert exc.value.field == "recipient"


def test_no_phone_on_file_means_the_window(staff, certificate):
    Organisation.objects.filter(pk=certificate.organisation_id).update(contact_phone="")
    with pytest.raises(DomainError) as exc:
        _start(certificate)
    assert exc.value.code == "no_phone_on_file"
    assert not RenewalVerification.objects.exists() and not Notification.objects.filter(subject="换证验证码").exists()


def test_unverified_attempts_block_nothing(staff, certificate):
    fake = _start(certificate, client_ip="10.6.6.6")
    real = _start(certificate, applicant_name="赵红", phone="13800001111", client_ip="10.0.0.2")
    application = services.renewal_verification_confirm(token=real.token, code=sms_code())
    assert application.applicant_name == "赵红"
    fake.refresh_from_db()
    assert fake.status == "pending" and fake.application is None


def test_five_wrong_codes_void_the_request(staff, certificate):
    verification = _start(certificate)
    right = sms_code()
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(DomainError) as exc:
            services.renewal_verification_confirm(token=verification.token, code=wrong)
        assert f"还可以再试{left}次" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.renewal_verification_confirm(token=verification.token, code=wrong)
    assert exc.value.code == "renewal_code_void"
    with pytest.raises(DomainError) as exc:
        services.renewal_verification_confirm(token=verification.token, code=right)
    assert exc.value.code == "renewal_code_void"
    verification.refresh_from_db()
    assert verification.status == "void" and verification.attempts == 5
    assert not _renewals().exists()
    assert AuditEntry.objects.filter(action=services.AUDIT_WRONG, result="failure").count() == 5


def test_code_expires_after_ten_minutes(staff, certificate):
    verification = _start(certificate)
    RenewalVerification.objects.filter(pk=verification.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with pytest.raises(DomainError) as exc:
        services.renewal_verification_confirm(token=verification.token, code=sms_code())
    assert exc.value.code == "renewal_code_expired"
    assert verification.expires_at - verification.sent_at == datetime.timedelta(minutes=10)
    assert not _renewals().exists()


def test_resend_is_throttled_and_replaces_the_code(staff, certificate):
    verification = _start(certificate)
    first = sms_code()
    with pytest.raises(TooManyRequests) as exc:
        services.renewal_verification_resend(token=verification.token)
    assert exc.value.code == "renewal_resend_too_soon"
    for _ in range(services.MAX_SENDS - 1):
        RenewalVerification.objects.filter(pk=verification.pk).update(sent_at=timezone.now() - services.RESEND_AFTER)
        services.renewal_verification_resend(token=verification.token)
    RenewalVerification.objects.filter(pk=verification.pk).update(sent_at=timezone.now() - services.RESEND_AFTER)
    with pytest.raises(TooManyRequests) as exc:
        services.renewal_verification_resend(token=verification.token)
    assert exc.value.code == "renewal_resend_limit"
    latest = sms_code()
    if latest != first:
        with pytest.raises(DomainError):
            services.renewal_verification_confirm(token=verification.token, code=first)
    assert services.renewal_verification_confirm(token=verification.token, code=latest).state == State.SUBMITTED


def test_codes_are_limited_per_organisation_and_per_address(staff, certificate):
    for index in range(services.PER_ORGANISATION_HOUR):
        _start(certificate, client_ip=f"10.1.0.{index}")
    with pytest.raises(TooManyRequests) as exc:
        _start(certificate, client_ip="10.1.1.1")
    assert exc.value.code == "renewal_code_throttled"
    other = registered(
        actor=staff, org_name="另一个协会", issued_on=timezone.localdate() - datetime.timedelta(days=6 * 365)
    )
    Certificate.objects.filter(pk=other.pk).update(valid_until=timezone.localdate() + datetime.timedelta(days=40))
    RenewalVerification.objects.update(client_ip="10.9.9.9")
    RenewalVerification.objects.bulk_create(
        [
            RenewalVerification(
                token=f"t{index}",
                organisation=other.organisation,
                recipient="contact",
                code_hash="x",
                sent_at=timezone.now(),
                expires_at=timezone.now(),
                client_ip="10.9.9.9",
                applicant_name="x",
                applicant_phone="13600003333",
                inbound_tracking="1234567890123",
                sends=0,
            )
            for index in range(services.PER_IP_HOUR - services.PER_ORGANISATION_HOUR)
        ]
    )
    with pytest.raises(TooManyRequests) as exc:
        _start(other, client_ip="10.9.9.9")
    assert exc.value.code == "renewal_ip_throttled"
    assert _start(other, client_ip="10.9.9.8").organisation == other.organisation


def test_unknown_token_and_bad_code_format(staff, certificate):
    with pytest.raises(NotFound):
        services.renewal_verification_confirm(token="nope", code="123456")
    verification = _start(certificate)
    with pytest.raises(DomainError) as exc:
        services.renewal_verification_confirm(token=verification.token, code="12a456")
    assert exc.value.code == "renewal_code_format"
    verification.refresh_from_db()
    assert verification.attempts == 0
    # Full-width digits typed with a Chinese input method count.
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in sms_code())
    assert services.renewal_verification_confirm(token=verification.token, code=full_width).state == State.SUBMITTED


# --- Void ---------------------------------------------------------------------------


def _verified(certificate):
    return services.renewal_verification_confirm(token=_start(certificate).token, code=sms_code())


def test_staff_void_a_pending_request_and_a_new_one_is_possible(staff, certificate):
    application = _verified(certificate)
    with pytest.raises(Conflict):
        _start(certificate)  # one open renewal at a time
    with pytest.raises(DomainError) as exc:
        application_void(actor=staff, application=application, reason=" ")
    assert exc.value.field == "reason"
    application_void(actor=staff, application=application, reason="法定代表人来电:并非本单位申请")
    application.refresh_from_db()
    assert application.state == State.VOIDED
    assert AuditEntry.objects.filter(action="state.change", object_id=str(application.pk)).latest("id").detail[
        "to"
    ] == ("voided")
    assert Notification.objects.filter(dedupe_key=f"reg-app-{application.pk}-voided").exists()
    again = _verified(certificate)
    assert again.pk != application.pk and again.state == State.SUBMITTED


def test_void_needs_window_work_and_a_pending_request(staff, certificate):
    application = _verified(certificate)
    with pytest.raises(PermissionDenied):
        application_void(actor=user_with_role(Role.GRID_WORKER), application=application, reason="x")
    renewal_services.renewal_mark_received(actor=staff, application=application)
    from grassroots.registration.services.applications import application_accept

    application_accept(actor=staff, application=application)
    with pytest.raises(DomainError) as exc:
        application_void(actor=staff, application=application, reason="晚了")
    assert exc.value.status == 409
    application.refresh_from_db()
    assert application.state == State.ACCEPTED


def test_void_on_the_staff_page(client, staff, certificate):
    application = _verified(certificate)
    client.force_login(staff)
    page = client.get("/registration/renewals/").content.decode()
    assert 'data-testid="void-submit"' in page
    client.post(f"/registration/renewals/{application.pk}/void/", {"reason": ""})
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    response = client.post(f"/registration/renewals/{application.pk}/void/", {"reason": "冒用信用代码"}, follow=True)
    assert "已作废" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.VOIDED
    assert client.get("/registration/renewals/").context["mail_in"] == []


def test_void_through_the_api(staff, certificate):
    application = _verified(certificate)
    api = APIClient()
    url = f"/api/v1/registration/renewals/{application.pk}/void"
    assert api.post(url, {"reason": "x"}).status_code in (401, 403)
    api.force_authenticate(user_with_role(Role.GRID_WORKER))
    assert api.post(url, {"reason": "x"}).status_code == 403
    api.force_authenticate(staff)
    assert api.post(url, {}).status_code == 400
    assert api.post("/api/v1/registration/renewals/999999/void", {"reason": "x"}).status_code == 404
    response = api.post(url, {"reason": "冒用信用代码"})
    assert response.status_code == 200 and response.json()["state"] == "voided"
    assert api.post(url, {"reason": "再次"}).status_code == 409


# --- Pages and API of the two steps ---------------------------------------------------


def test_public_pages_two_steps(client, staff, certificate):
    data = {
        "credit_code": certificate.organisation.credit_code,
        "applicant_name": "赵红",
        "phone": "13800001111",
        "inbound_tracking": "EA123456785CN",
    }
    check = client.get("/socialorg/renew/check/", {"credit_code": data["credit_code"]}).content.decode()
    assert "139****5678" in check and PHONE not in check
    response = client.post("/socialorg/renew/", data)
    assert response.status_code == 302 and "/socialorg/renew/verify/" in response["Location"]
    assert not _renewals().exists()
    page = client.get(response["Location"]).content.decode()
    assert "139****5678" in page and PHONE not in page
    bad = client.post(response["Location"], {"code": "12"})
    assert bad.status_code == 400 and "6位数字验证码" in bad.content.decode()
    resend = client.post(response["Location"] + "resend/", follow=True)
    assert "秒后再重新获取" in resend.content.decode()
    done = client.post(response["Location"], {"code": sms_code()})
    application = _renewals().get()
    assert done["Location"] == f"/socialorg/renew/done/{application.tracking_code}/"
    assert client.get(response["Location"])["Location"] == done["Location"]  # verified: straight to done
    assert client.get("/socialorg/renew/verify/unknown/").status_code == 404


def test_api_wrong_code_and_resend(staff, certificate):
    api = APIClient()
    started = api.post(
        "/api/v1/registration/renewals",
        {
            "credit_code": certificate.organisation.credit_code,
            "applicant_name": "赵红",
            "phone": "13800001111",
            "inbound_tracking": "1234567890123",
        },
        format="json",
    ).json()
    right = sms_code()
    wrong = api.post(
        "/api/v1/registration/renewals/verify",
        {"token": started["token"], "code": "000000" if right != "000000" else "111111"},
        format="json",
    )
    assert wrong.status_code == 400 and "还可以再试4次" in wrong.json()["detail"]
    assert api.post("/api/v1/registration/renewals/resend", {"token": started["token"]}).status_code == 429
    missing = api.post("/api/v1/registration/renewals/verify", {"token": "nope", "code": "123456"}, format="json")
    assert missing.status_code == 404
    assert not _renewals().exists()


def test_verification_table():
    """pending → verified by the right code, → void after too many wrong ones;
    nothing leaves verified or void (the service tests above walk both)."""
    expected = {
        (VerificationAction.VERIFY, VerificationState.PENDING),
        (VerificationAction.VOID, VerificationState.PENDING),
    }
    assert_table(VERIFICATION_TABLE, actions=VerificationAction, states=VerificationState, expected=expected)
