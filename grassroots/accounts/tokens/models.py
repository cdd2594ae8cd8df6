from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("只读")
        WRITE = "write", _("读写")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名称"), max_length=60)
    key_digest = models.CharField(_("密钥摘要"), max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=8)
    scope = models.CharField(_("范围"), max_length=8, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("吊销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        app_label = "accounts"
        ordering = ["-created_at", "-id"]
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        constraints = [
            models.CheckConstraint(condition=models.Q(scope__in=["read", "write"]), name="api_token_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.prefix}…)"
