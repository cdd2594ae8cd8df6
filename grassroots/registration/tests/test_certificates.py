"""Credit codes, certificate issue and renewal chain, revocation, expiry
reminders and the printable certificate."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError
from django.template.loader import render_to_string
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.errors import Conflict, DomainError, PermissionDenied
from grassroots.core.models import AuditEntry, Notification
from grassroots.core.validators import is_valid_uscc_strict, make_uscc, org_code_check_char
from grassroots.registration.models import (
    Application,
    Authority,
    Certificate,
    CertificateReminder,
    Organisation,
    OrgType,
)
from grassroots.registration.services import certificate_reminders as reminder_services
from grassroots.registration.services import certificates as services
from grassroots.registration.states import State

from .certificate_support import (
    PHONE,
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
def authority():
    return catalogue()


@pytest.fixture
def staff(authority):
    return window_user()


# --- Credit codes -------------------------------------------------------------------


def test_first_code_is_mj000001_with_both_check_characters(authority):
    code = services.credit_code_allocate(org_type=OrgType.PNE)
    expected = make_uscc(authority="5", org_type="2", division=authority.division_code, org_code8="MJ000001")
    assert code == expected
    assert code[:2] == "52"
    assert code[2:8] == authority.division_code
    assert code[16] == org_code_check_char("MJ000001")
    assert is_valid_uscc_strict(code)


@pytest.mark.parametrize(
    ("org_type", "digit"), [(OrgType.SOCIAL_GROUP, "1"), (OrgType.PNE, "2"), (OrgType.FOUNDATION, "3")]
)
def test_type_digit(authority, org_type, digit):
    assert services.credit_code_allocate(org_type=org_type)[1] == digit


def test_sequence_is_shared_by_types_and_continues_from_the_highest(staff):
    first = registered(actor=staff, org_name="甲", service_code="pne-establish")
    second = registered(actor=staff, org_name="乙", service_code="social-group-establish")
    assert first.organisation.credit_code[8:16] == "MJ000001"
    assert second.organisation.credit_code[8:16] == "MJ000002"
    assert second.organisation.credit_code[1] == "1"
    Organisation.objects.filter(pk=second.organisation.pk).update(
        credit_code=make_uscc(authority="5", org_type="1", division="370391", org_code8="MJ000999")
    )
    assert services.credit_code_allocate(org_type=OrgType.PNE)[8:16] == "MJ001000"


def test_numbers_never_repeat_after_revocation(staff):
    certificate = registered(actor=staff)
    services.organisation_revoke(actor=staff, organisation=certificate.organisation, reason="告知承诺核查不实")
    assert services.credit_code_allocate(org_type=OrgType.PNE)[8:16] == "MJ000002"


def test_unknown_type_and_missing_authority_are_refused(authority):
    with pytest.raises(DomainError) as exc:
        services.credit_code_allocate(org_type="company")
    assert exc.value.code == "org_type_invalid"
    Authority.objects.all().delete()
    with pytest.raises(DomainError) as exc:
        services.credit_code_allocate(org_type=OrgType.PNE)
    assert exc.value.code == "authority_missing"


def test_lost_allocation_race_is_retried(staff, monkeypatch):
    taken = registered(actor=staff, org_name="甲").organisation.credit_code
    real = services.credit_code_allocate
    answers = iter([taken])

    def racing(*, org_type):  # the first answer is a number another issue just took
        return next(answers, None) or real(org_type=org_type)

    monkeypatch.setattr(services, "credit_code_allocate", racing)
    certificate = services.certificate_issue(actor=staff, application=approved_application(org_name="乙"))
    assert certificate.organisation.credit_code[8:16] == "MJ000002"
    assert Organisation.objects.count() == 2


# --- Issue ----------------------------------------------------------------------------


def test_establishment_issues_organisation_and_certificate(staff, authority):
    application = approved_application(org_name="淄博高新区启明文化交流中心", field="文化")
    certificate = services.certificate_issue(actor=staff, application=application)
    organisation = certificate.organisation
    today = timezone.localdate()
    assert organisation.name == "淄博高新区启明文化交流中心"
    assert organisation.org_type == OrgType.PNE
    assert organisation.legal_representative == "王建国"
    assert organisation.registered_on == today
    assert is_valid_uscc_strict(organisation.credit_code)
    assert certificate.status == Certificate.Status.VALID
    assert certificate.number == f"{authority.division_code}{today.year}00001"
    assert certificate.valid_from == today
    assert certificate.valid_until == services.add_years(today, 5) - datetime.timedelta(days=1)
    assert len(certificate.verify_token) >= 16  # 96 bits, URL-safe
    application.refresh_from_db()
    assert application.state == State.ISSUED
    assert application.organisation == organisation
    assert "issue" in events(application)
    assert AuditEntry.objects.filter(object_type="registration.Certificate", object_id=str(certificate.pk)).exists()
    sms = Notification.objects.get(channel="sms", dedupe_key=f"reg-app-{application.pk}-issued")
    assert organisation.credit_code in sms.body and sms.address == PHONE


def test_validity_is_configurable_and_handles_29_february(staff, authority):
    Authority.objects.update(certificate_validity_years=3)
    certificate = services.certificate_issue(
        actor=staff, application=approved_application(), issued_on=datetime.date(2028, 2, 29)
    )
    assert certificate.valid_from == datetime.date(2028, 2, 29)
    assert certificate.valid_until == datetime.date(2031, 2, 27)
    assert certificate.number.startswith(f"{authority.division_code}2028")
    assert not Notification.objects.filter(channel="sms").exists()  # a back-dated record texts nobody


def test_certificate_numbers_count_per_year(staff, authority):
    a = registered(actor=staff, org_name="甲", issued_on=datetime.date(2025, 3, 2))
    b = registered(actor=staff, org_name="乙", issued_on=datetime.date(2025, 5, 6))
    c = registered(actor=staff, org_name="丙", issued_on=datetime.date(2026, 1, 5))
    assert [a.number[-9:], b.number[-9:], c.number[-9:]] == ["202500001", "202500002", "202600001"]


def test_only_approved_applications_get_a_certificate(staff):
    application = approved_application()
    Application.objects.filter(pk=application.pk).update(state=State.ACCEPTED)
    with pytest.raises(Conflict):
        services.certificate_issue(actor=staff, application=application)
    assert not Organisation.objects.exists()
    assert not Certificate.objects.exists()
    application.refresh_from_db()
    assert application.state == State.ACCEPTED


def test_issue_needs_the_decide_capability(authority):
    clerk = user_with_role(Role.VILLAGE_STAFF)
    application = approved_application()
    with pytest.raises(PermissionDenied):
        services.certificate_issue(actor=clerk, application=application)
    assert not Organisation.objects.exists()
    application.refresh_from_db()
    assert application.state == State.APPROVED


def test_duplicate_name_is_refused_and_nothing_changes(staff):
    registered(actor=staff, org_name="同名协会")
    application = approved_application(org_name="同名协会")
    with pytest.raises(DomainError) as exc:
        services.certificate_issue(actor=staff, application=application)
    assert exc.value.code == "organisation_name_taken"
    assert Organisation.objects.count() == 1
    application.refresh_from_db()
    assert application.state == State.APPROVED


def test_services_without_certificate_are_refused(staff):
    organisation = registered(actor=staff).organisation
    application = approved_application(service_code="change", organisation=organisation)
    with pytest.raises(DomainError) as exc:
        services.certificate_issue(actor=staff, application=application)
    assert exc.value.code == "service_issues_no_certificate"
    assert Certificate.objects.count() == 1


def test_renewal_replaces_the_valid_certificate_and_keeps_the_code(staff):
    old = registered(actor=staff, issued_on=datetime.date(2021, 12, 20))
    organisation = old.organisation
    renewal = approved_renewal(organisation=organisation)
    new = services.certificate_issue(actor=staff, application=renewal)
    old.refresh_from_db()
    organisation.refresh_from_db()
    assert old.status == Certificate.Status.REPLACED
    assert new.status == Certificate.Status.VALID
    assert new.replaces == old
    assert old.replaced_by == new
    assert new.organisation == organisation
    assert organisation.credit_code == old.organisation.credit_code
    assert new.number != old.number
    assert Organisation.objects.count() == 1
    renewal.refresh_from_db()
    assert renewal.state == State.ISSUED
    sms = Notification.objects.get(channel="sms", dedupe_key=f"reg-app-{renewal.pk}-issued")
    assert "EMS" in sms.body


def test_renewal_of_a_revoked_organisation_is_refused(staff):
    organisation = registered(actor=staff).organisation
    renewal = approved_renewal(organisation=organisation)
    services.organisation_revoke(actor=staff, organisation=organisation, reason="撤销")
    with pytest.raises(Conflict):
        services.certificate_issue(actor=staff, application=renewal)
    assert Certificate.objects.count() == 1


# --- Revocation -------------------------------------------------------------------


def test_revoke_marks_organisation_and_certificate(staff):
    certificate = registered(actor=staff)
    services.organisation_revoke(actor=staff, organisation=certificate.organisation, reason="告知承诺核查不实")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.organisation.status == Organisation.Status.REVOKED
    entry = AuditEntry.objects.filter(object_type="registration.Organisation").latest("id")
    assert entry.detail["reason"] == "告知承诺核查不实"
    with pytest.raises(Conflict):
        services.organisation_revoke(actor=staff, organisation=certificate.organisation, reason="再次")


def test_revoke_needs_reason_and_capability(staff):
    certificate = registered(actor=staff)
    with pytest.raises(DomainError):
        services.organisation_revoke(actor=staff, organisation=certificate.organisation, reason="  ")
    with pytest.raises(PermissionDenied):
        services.organisation_revoke(
            actor=user_with_role(Role.SUBDISTRICT_STAFF), organisation=certificate.organisation, reason="x"
        )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


# --- Reminders ----------------------------------------------------------------------


def _expiring(staff, name, days_left, today):
    certificate = registered(actor=staff, org_name=name, issued_on=today - datetime.timedelta(days=5 * 365))
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=today + datetime.timedelta(days=days_left))
    return certificate


def test_reminders_at_60_and_30_days_once_each(staff):
    today = datetime.date(2026, 11, 2)
    far = _expiring(staff, "远", 61, today)
    sixty = _expiring(staff, "六十", 60, today)
    thirty = _expiring(staff, "三十", 30, today)
    expired = _expiring(staff, "已过期", -1, today)
    assert reminder_services.certificates_remind(today=today) == 2
    reminders = set(CertificateReminder.objects.values_list("certificate_id", "days_before"))
    assert reminders == {(sixty.pk, 60), (thirty.pk, 30)}
    assert reminder_services.certificates_remind(today=today) == 0  # idempotent
    assert CertificateReminder.objects.count() == 2
    # 30 days later the one at 60 gets its second reminder; nothing else.
    # sixty (30) and far (31)
    assert reminder_services.certificates_remind(today=today + datetime.timedelta(days=30)) == 2
    assert set(CertificateReminder.objects.values_list("certificate_id", "days_before")) == {
        (sixty.pk, 60),
        (thirty.pk, 30),
        (sixty.pk, 30),
        (far.pk, 60),
    }
    assert not CertificateReminder.objects.filter(certificate=expired).exists()


def test_reminder_goes_to_last_contact_and_window_staff(staff):
    today = datetime.date(2026, 11, 2)
    certificate = _expiring(staff, "提醒", 45, today)
    other_staff = window_user()
    user_with_role(Role.VILLAGE_STAFF)
    reminder_services.certificates_remind(today=today)
    sms = Notification.objects.get(channel="sms", dedupe_key__startswith=f"reg-cert-remind-{certificate.pk}-60")
    assert sms.address == PHONE
    assert "第五十条" in sms.body and "2026年12月17日" in sms.body
    in_app = Notification.objects.filter(channel="inapp", dedupe_key__startswith=f"reg-cert-remind-{certificate.pk}")
    assert set(in_app.values_list("recipient_id", flat=True)) == {staff.pk, other_staff.pk}


def test_no_reminder_while_a_renewal_is_under_way(staff):
    today = datetime.date(2026, 11, 2)
    certificate = _expiring(staff, "在办", 20, today)
    approved_renewal(organisation=certificate.organisation)
    assert reminder_services.certificates_remind(today=today) == 0
    assert not CertificateReminder.objects.exists()


def test_reminder_rows_are_unique():
    assert any(c.name == "reminder_once" for c in CertificateReminder._meta.constraints)


def test_reminder_unique_constraint_holds(staff):
    certificate = registered(actor=staff)
    CertificateReminder.objects.create(certificate=certificate, days_before=60)
    with pytest.raises(IntegrityError):
        CertificateReminder.objects.create(certificate=certificate, days_before=60)


# --- The printed certificate ------------------------------------------------------------


def test_certificate_print_has_code_qr_and_landscape_page(staff):
    certificate = registered(actor=staff, service_code="social-group-establish", org_name="淄博高新区体育协会")
    context = services.certificate_context(certificate=certificate)
    html = render_to_string("registration/documents/certificate.html", context)
    assert "社会团体法人登记证书" in html
    assert certificate.organisation.credit_code in html
    assert "size: A4 landscape" in html
    assert "<svg" in html
    assert context["verify_url"].endswith(
        f"/socialorg/verify/{certificate.organisation.credit_code}/?t={certificate.verify_token}"
    )
    assert "注册资金" in html and "王建国" in html


def test_certificate_pdf_renders(staff):
    certificate = registered(actor=staff)
    pdf = services.certificate_pdf(certificate=certificate)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5000


# --- Demo data ------------------------------------------------------------------------


def test_registration_demo_is_complete_and_idempotent(db):
    from grassroots.registration.management.commands import registration_demo as demo

    today = datetime.date(2026, 11, 29)
    first = demo.build(today=today)
    assert first == {"organisations": 20, "renewed": 1, "revoked": 1, "mail_renewals": 1}
    assert demo.build(today=today) == {"organisations": 0, "renewed": 0, "revoked": 0, "mail_renewals": 0}
    organisations = Organisation.objects.all()
    assert organisations.count() == 20
    assert set(organisations.values_list("field", flat=True)) == {"医疗", "体育", "文化", "民生"}
    assert all(is_valid_uscc_strict(o.credit_code) for o in organisations)
    assert organisations.filter(status=Organisation.Status.REVOKED).count() == 1
    assert Certificate.objects.filter(status=Certificate.Status.REPLACED).count() == 1
    expiring = Certificate.objects.filter(
        status=Certificate.Status.VALID, valid_until__lte=today + datetime.timedelta(days=60)
    )
    assert expiring.count() >= 3
    assert reminder_services.certificates_remind(today=today) >= 2
    assert Application.objects.filter(service__code="renewal", state=State.SUBMITTED).count() == 1
    # Every historical application was accepted, so each has an acceptance number
    # (受理编号) dated on its day of acceptance, like one accepted at the window.
    decided = Application.objects.exclude(state__in=[State.DRAFT, State.SUBMITTED, State.RETURNED])
    assert decided.count() == 21
    for application in decided:
        assert (application.number or "").startswith(f"SZ{application.accepted_on:%Y%m%d}")
    assert len(set(decided.values_list("number", flat=True))) == 21


def test_demo_numbers_are_backfilled_on_a_rerun(db):
    # Demo databases built before the demo numbered its applications get their numbers on the next run.
    from grassroots.registration.management.commands import registration_demo as demo

    today = datetime.date(2026, 11, 29)
    demo.build(today=today)
    Application.objects.filter(state=State.ISSUED).update(number=None)
    demo.build(today=today)
    assert not Application.objects.filter(state=State.ISSUED, number__isnull=True).exists()


def test_queue_says_not_accepted_only_before_acceptance(client, staff):
    from grassroots.registration.management.commands import registration_demo as demo

    demo.build(today=datetime.date(2026, 11, 29))
    client.force_login(staff)
    html = client.get("/registration/applications/?state=issued").content.decode()
    assert html.count('data-testid="queue-row"') == 21  # 20 organisations, one renewed
    assert "未受理" not in html
    pending = Application.objects.get(service__code="renewal", state=State.SUBMITTED)
    html = client.get("/registration/applications/?state=submitted").content.decode()
    assert pending.org_name in html and "未受理" in html


def test_replaced_certificate_prints_as_void(staff):
    old = registered(actor=staff, issued_on=datetime.date(2021, 12, 20))
    services.certificate_issue(actor=staff, application=approved_renewal(organisation=old.organisation))
    old.refresh_from_db()
    html = render_to_string("registration/documents/certificate.html", services.certificate_context(certificate=old))
    assert "已换发 作废" in html
    current = Certificate.objects.get(organisation=old.organisation, status=Certificate.Status.VALID)
    html = render_to_string(
        "registration/documents/certificate.html", services.certificate_context(certificate=current)
    )
    assert "作废" not in html.replace("同时作废", "")
