"""The display tokens of the command centre's screen (ADR 0049). A token
opens the read-only kiosk URL of one node's big screen without a login; only
its SHA-256 digest is stored (the secret is shown once, when issued), it
expires, and it is revoked on the workflow engine."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped
from grassroots.regions.models import Node

from .states import State


class ScreenToken(PathScoped):
    path_from = "node"

    node = models.ForeignKey(Node, verbose_name=_("大屏范围"), on_delete=models.PROTECT, related_name="screen_tokens")
    label = models.CharField(_("屏幕名称"), max_length=60)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, to tell tokens apart on the list page.
    hint = models.CharField(max_length=8, editable=False)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ACTIVE, db_index=True)
    expires_at = models.DateTimeField(_("有效期至"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发放人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("发放时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("大屏令牌")
        verbose_name_plural = _("大屏令牌")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=[s.value for s in State]), name="bigscreen_token_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}({self.hint}…)"
