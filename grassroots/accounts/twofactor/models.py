"""Recovery codes as a django-otp device, so that a code verifies a session
the same way a TOTP code does (`django_otp.login`), but kept as SHA-256
digests: django-otp's own static device stores its tokens in clear (ADR 0058).
The codes carry 50 random bits each, so one unsalted digest is as strong as a
slow hash here and lets a lookup stay a single indexed query."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin


def recovery_code_digest(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normalised.encode()).hexdigest()


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """One per user: the set of recovery codes issued together."""

    class Meta(Device.Meta):
        app_label = "accounts"
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")

    def get_throttle_factor(self) -> int:
        return 1

    def verify_token(self, token: object) -> bool:
        verify_allowed, _ = self.verify_is_allowed()
        if not verify_allowed or not isinstance(token, str) or not token.strip():
            return False
        used = self.codes.filter(digest=recovery_code_digest(token), used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if used:
            self.throttle_reset()
            return True
        self.throttle_increment()
        return False


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(_("摘要"), max_length=64)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        app_label = "accounts"
        verbose_name = _("恢复码")
        verbose_name_plural = _("恢复码")
        constraints = [models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_unique_per_device")]

    def __str__(self) -> str:
        return f"恢复码 {self.pk}({'已使用' if self.used_at else '未使用'})"
