"""Certificates, their expiry reminders and renewal-by-mail verifications (ADR 0028)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.fields import EncryptedTextField

from ..states import VerificationState
from .applications import Application
from .organisations import Organisation


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        REPLACED = "replaced", _("已换发")
        REVOKED = "revoked", _("已撤销")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="certificates")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="certificate")
    number = models.CharField(_("证书编号"), max_length=30, unique=True)
    issued_on = models.DateField(_("发证日期"))
    valid_from = models.DateField(_("有效期自"))
    valid_until = models.DateField(_("有效期至"), db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.VALID)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    verify_token = models.CharField(max_length=32, unique=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("登记证书")
        verbose_name_plural = _("登记证书")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("valid_from")), name="certificate_validity_order"
            ),
            models.UniqueConstraint(
                fields=["organisation"], condition=models.Q(status="valid"), name="certificate_one_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CertificateReminder(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        constraints = [models.UniqueConstraint(fields=["certificate", "days_before"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.certificate} -{self.days_before}"


class RenewalVerification(models.Model):
    """A renewal by mail waiting for its SMS code (ADR 0028). The request's
    details wait here; the application is created only when the code sent to
    a phone on file is entered. Pending rows block nothing: the eligibility
    check looks at applications only."""

    class Recipient(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", _("法定代表人")
        CONTACT = "contact", _("联系人")

    Status = VerificationState  # the table is in states.py

    token = models.CharField(max_length=43, unique=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="renewal_verifications")
    recipient = models.CharField(_("验证码接收人"), max_length=30, choices=Recipient.choices)
    code_hash = models.CharField(max_length=64)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    sends = models.PositiveSmallIntegerField(_("发送次数"), default=1)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    applicant_name = models.CharField(_("经办人"), max_length=50)
    applicant_phone = EncryptedTextField(_("经办人手机号"))
    inbound_tracking = models.CharField(_("寄来旧证的 EMS 单号"), max_length=30)
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="renewal_verification"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("换证短信验证")
        verbose_name_plural = _("换证短信验证")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="verified", application__isnull=False)
                | (~models.Q(status="verified") & models.Q(application__isnull=True)),
                name="renewal_verification_application_iff_verified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.get_status_display()}"
