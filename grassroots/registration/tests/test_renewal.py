"""Renewal by mail without a visit (不见面审批): eligibility, the online
request, staff receiving the old certificate and mailing the new one."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.errors import Conflict, DomainError, PermissionDenied
from grassroots.core.models import Notification
from grassroots.registration.models import Application, Certificate
from grassroots.registration.services import renewal as services
from grassroots.registration.services.certificates import certificate_issue
from grassroots.registration.services.workflow import format_tracking_code
from grassroots.registration.states import State

from .certificate_support import (
    approved_application,
    approved_renewal,
    catalogue,
    events,
    registered,
    user_with_role,
    window_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    catalogue()
    return window_user()


def _expiring_in(staff, days, *, name="淄博高新区社区社会组织联合会", service_code="social-group-establish"):
    certificate = registered(
        actor=staff,
        org_name=name,
        service_code=service_code,
        issued_on=timezone.localdate() - datetime.timedelta(days=6 * 365),
    )
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() + datetime.timedelta(days=days)
    )
    certificate.refresh_from_db()
    return certificate


def _request(certificate, **overrides):
    values = {
        "organisation_credit_code": certificate.organisation.credit_code,
        "applicant_name": "赵红",
        "phone": "13800001111",
        "inbound_tracking": "1100 2233 44556",
    }
    values.update(overrides)
    return services.renewal_request(**values)


# --- Input checks -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1234567890123", "1234567890123"), ("1234 5678 90123", "1234567890123"), ("xx123456785cn", "XX123456785CN")],
)
def test_ems_numbers(raw, expected):
    assert services.normalise_ems(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "123456789012", "12345678901234", "XX12345678CN", "XX123456789US", "电子1234567890"]
)
def test_bad_ems_numbers(raw):
    with pytest.raises(DomainError) as exc:
        services.normalise_ems(raw)
    assert exc.value.field == "inbound_tracking"


def test_credit_code_typo_is_caught_by_the_check_characters(staff):
    code = registered(actor=staff).organisation.credit_code
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(DomainError) as exc:
        services.normalise_credit_code(typo)
    assert exc.value.code == "credit_code_check"
    assert "校验码不正确" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.normalise_credit_code("12345")
    assert exc.value.code == "credit_code_format"
    assert services.normalise_credit_code(f" {code.lower()} ") == code


# --- Eligibility ------------------------------------------------------------------


@pytest.mark.parametrize(("days", "late"), [(90, False), (30, False), (29, True), (0, True), (-364, True)])
def test_window_for_renewal(staff, days, late):
    check = services.renewal_check(credit_code=_expiring_in(staff, days).organisation.credit_code)
    assert check.days_left == days
    assert check.late is late
    assert ("第五十条" in check.warning) is late


@pytest.mark.parametrize(("days", "code"), [(91, "renewal_too_early"), (-365, "renewal_expired_too_long")])
def test_outside_the_window(staff, days, code):
    with pytest.raises(DomainError) as exc:
        services.renewal_check(credit_code=_expiring_in(staff, days).organisation.credit_code)
    assert exc.value.code == code


def test_unknown_revoked_and_certificate_less_organisations(staff):
    from grassroots.core.validators import make_uscc

    unknown = make_uscc(authority="5", org_type="1", division="370391", org_code8="MJ999999")
    with pytest.raises(DomainError) as exc:
        services.renewal_check(credit_code=unknown)
    assert exc.value.code == "organisation_not_found"
    certificate = _expiring_in(staff, 20)
    Certificate.objects.filter(pk=certificate.pk).update(status=Certificate.Status.REPLACED)
    with pytest.raises(DomainError) as exc:
        services.renewal_check(credit_code=certificate.organisation.credit_code)
    assert exc.value.code == "no_valid_certificate"
    certificate.organisation.status = "revoked"
    certificate.organisation.save()
    with pytest.raises(DomainError) as exc:
        services.renewal_check(credit_code=certificate.organisation.credit_code)
    assert exc.value.code == "organisation_not_active"


# --- Request ----------------------------------------------------------------------


def test_request_creates_a_submitted_renewal_without_materials(staff):
    certificate = _expiring_in(staff, 40)
    application = _request(certificate)
    assert application.state == State.SUBMITTED
    assert application.service.code == "renewal"
    assert application.organisation == certificate.organisation
    assert application.org_name == certificate.organisation.name
    assert application.inbound_tracking == "1100223344556"
    assert application.assisted is False
    assert not application.materials.exists()
    assert len(application.tracking_code) >= 10
    assert events(application)[:2] == ["create", "submit"]
    sms = Notification.objects.get(channel="sms", dedupe_key=f"reg-app-{application.pk}-renewal-submitted")
    assert sms.address == "13800001111"
    assert format_tracking_code(application.tracking_code) in sms.body and "EMS" in sms.body
    assert Notification.objects.filter(channel="inapp", recipient=staff).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"applicant_name": " "}, "applicant_name"),
        ({"phone": "12345"}, "phone"),
        ({"inbound_tracking": "abc"}, "inbound_tracking"),
        ({"organisation_credit_code": "52370391MJ0000011Y"}, "credit_code"),
    ],
)
def test_bad_request_changes_nothing(staff, overrides, field):
    certificate = _expiring_in(staff, 40)
    with pytest.raises(DomainError) as exc:
        _request(certificate, **overrides)
    assert exc.value.field == field
    assert not Application.objects.filter(service__code="renewal").exists()


def test_second_request_while_one_is_open_is_refused(staff):
    certificate = _expiring_in(staff, 40)
    _request(certificate)
    with pytest.raises(Conflict):
        _request(certificate, inbound_tracking="XX123456785CN")
    assert Application.objects.filter(service__code="renewal").count() == 1


# --- Staff: received, mailed ------------------------------------------------------


def test_mark_received_once(staff):
    application = _request(_expiring_in(staff, 40))
    services.renewal_mark_received(actor=staff, application=application)
    application.refresh_from_db()
    assert application.old_certificate_received_at is not None
    assert "mail_received" in events(application)
    assert Notification.objects.filter(dedupe_key=f"reg-app-{application.pk}-renewal-received").exists()
    with pytest.raises(Conflict):
        services.renewal_mark_received(actor=staff, application=application)


def test_mark_received_rules(staff):
    application = _request(_expiring_in(staff, 40))
    with pytest.raises(PermissionDenied):
        services.renewal_mark_received(actor=user_with_role(Role.GRID_WORKER), application=application)
    other = approved_application(org_name="另一个")
    with pytest.raises(DomainError) as exc:
        services.renewal_mark_received(actor=staff, application=other)
    assert exc.value.code == "not_mail_renewal"
    Application.objects.filter(pk=application.pk).update(state=State.WITHDRAWN)
    with pytest.raises(Conflict):
        services.renewal_mark_received(actor=staff, application=application)
    application.refresh_from_db()
    assert application.old_certificate_received_at is None


def _issued_renewal(staff, *, received=True):
    certificate = _expiring_in(staff, 40)
    application = approved_renewal(organisation=certificate.organisation)
    if received:
        Application.objects.filter(pk=application.pk).update(old_certificate_received_at=timezone.now())
    certificate_issue(actor=staff, application=application)
    application.refresh_from_db()
    return application


def test_mail_out_records_number_and_texts_the_applicant(staff):
    application = _issued_renewal(staff)
    services.renewal_mail_out(actor=staff, application=application, outbound_tracking="ea 123456785 cn")
    application.refresh_from_db()
    assert application.outbound_tracking == "EA123456785CN"
    assert application.mailed_at is not None
    assert "mail_out" in events(application)
    sms = Notification.objects.get(dedupe_key=f"reg-app-{application.pk}-renewal-mailed")
    assert "EA123456785CN" in sms.body
    with pytest.raises(Conflict):
        services.renewal_mail_out(actor=staff, application=application, outbound_tracking="1234567890123")
    application.refresh_from_db()
    assert application.outbound_tracking == "EA123456785CN"


def test_mail_out_needs_issue_receipt_and_a_valid_number(staff):
    application = _issued_renewal(staff, received=False)
    with pytest.raises(Conflict) as exc:
        services.renewal_mail_out(actor=staff, application=application, outbound_tracking="1234567890123")
    assert exc.value.code == "old_certificate_missing"
    Application.objects.filter(pk=application.pk).update(old_certificate_received_at=timezone.now())
    with pytest.raises(DomainError) as bad:
        services.renewal_mail_out(actor=staff, application=application, outbound_tracking="12")
    assert bad.value.field == "outbound_tracking"
    pending = _request(_expiring_in(staff, 40, name="未发证的"))
    with pytest.raises(Conflict) as exc:
        services.renewal_mail_out(actor=staff, application=pending, outbound_tracking="1234567890123")
    assert exc.value.code == "not_issued"
    application.refresh_from_db()
    assert application.mailed_at is None and application.outbound_tracking == ""


def test_whole_renewal_by_mail_through_the_services(staff):
    """Request online, old certificate received, accepted and approved by the
    applications part's services (which issue the certificate), mailed out."""
    from grassroots.registration.services.applications import application_accept, application_approve

    old = _expiring_in(staff, 25)
    application = _request(old)
    services.renewal_mark_received(actor=staff, application=application)
    application_accept(actor=staff, application=application)
    application_approve(actor=staff, application=application)
    application.refresh_from_db()
    assert application.state == State.ISSUED
    old.refresh_from_db()
    assert old.status == Certificate.Status.REPLACED
    new = application.certificate
    assert new.replaces == old and new.status == Certificate.Status.VALID
    assert new.organisation.credit_code == old.organisation.credit_code
    services.renewal_mail_out(actor=staff, application=application, outbound_tracking="1199887766554")
    application.refresh_from_db()
    assert application.outbound_tracking == "1199887766554"
    assert events(application)[-1] == "mail_out"
