"""Expiry reminders of registration certificates: SMS to the organisation's
phone on file and in-app notices to window staff, 60 and 30 days before a
certificate expires, once each."""

from __future__ import annotations

import datetime
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.core.errors import DomainError
from grassroots.core.notifications.services import notify_sms, notify_user

from ..models import Application, Certificate, CertificateReminder, Organisation, ServiceKind
from ..states import OPEN_STATES
from .sms_kinds import CERTIFICATE_REMINDER
from .workflow import window_staff

logger = logging.getLogger(__name__)

REMINDER_DAYS = (60, 30)


def organisation_contact_phone(organisation: Organisation) -> str:
    """The phone on file (contact, else legal representative); for records
    from before phones were kept on file, the most recent application's."""
    if organisation.contact_phone or organisation.legal_representative_phone:
        return organisation.contact_phone or organisation.legal_representative_phone
    application = organisation.applications.order_by("-created_at", "-id").first()
    return application.applicant_phone if application else ""


def _reminder_due(days_left: int) -> int | None:
    if 30 < days_left <= 60:
        return 60
    if 0 <= days_left <= 30:
        return 30
    return None


def certificates_remind(*, today: datetime.date | None = None) -> int:
    """Remind organisations (SMS to the contact of their last application) and
    window staff (in-app) 60 and 30 days before a certificate expires, once
    each: a `CertificateReminder` row per (certificate, days) makes a rerun
    send nothing. 《行政许可法》第50条: renewal is applied for at least 30 days
    before expiry. Skipped when a renewal is already under way. Returns the
    number of reminders recorded."""
    today = today or timezone.localdate()
    candidates = (
        Certificate.objects.filter(
            status=Certificate.Status.VALID,
            organisation__status=Organisation.Status.ACTIVE,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=max(REMINDER_DAYS)),
        )
        .select_related("organisation")
        .order_by("valid_until", "id")
    )
    staff = window_staff()
    renewing = set(
        Application.objects.filter(service__kind=ServiceKind.RENEWAL, state__in=OPEN_STATES).values_list(
            "organisation_id", flat=True
        )
    )
    sent = 0
    for certificate in candidates:
        days_left = (certificate.valid_until - today).days
        days_before = _reminder_due(days_left)
        if days_before is None or certificate.organisation_id in renewing:
            continue
        try:
            with transaction.atomic():
                CertificateReminder.objects.create(certificate=certificate, days_before=days_before)
                _send_reminder(certificate=certificate, days_before=days_before, days_left=days_left, staff=staff)
        except IntegrityError:
            continue  # already reminded
        sent += 1
    return sent


def _send_reminder(*, certificate: Certificate, days_before: int, days_left: int, staff: list[User]) -> None:
    organisation = certificate.organisation
    until = f"{certificate.valid_until:%Y年%m月%d日}"
    renew_link = reverse("registration-public:cert-renew")
    phone = organisation_contact_phone(organisation)
    if phone:
        try:
            notify_sms(
                phone,
                f"【社会组织登记】{organisation.name}的登记证书将于{until}到期(还有{days_left}天)。"
                "依照《行政许可法》第五十条,请在有效期届满30日前申请换证;可网上申请、EMS寄送旧证,无需到窗口。",
                kind=CERTIFICATE_REMINDER,
                params={"organisation": organisation.name, "date": until, "days": str(days_left)},
                subject="登记证书到期提醒",
                link=renew_link,
                dedupe_key=f"reg-cert-remind-{certificate.pk}-{days_before}-sms",
            )
        except DomainError:
            logger.warning("Organisation %s has no valid contact mobile; reminder SMS skipped.", organisation.pk)
    link = reverse("registration:cert-organisation", kwargs={"pk": organisation.pk})
    for user in staff:
        notify_user(
            user,
            f"登记证书{days_before}日到期提醒:{organisation.name}",
            f"{organisation.name}(统一社会信用代码 {organisation.credit_code})的登记证书 {certificate.number} "
            f"将于{until}到期,还有{days_left}天。",
            link,
            dedupe_key=f"reg-cert-remind-{certificate.pk}-{days_before}-user-{user.pk}",
        )
