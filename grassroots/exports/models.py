"""An export that needs the security administrator's approval (ADR 0060)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .registry import kind_label
from .states import ExportState


class ExportRequest(models.Model):
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_requests", verbose_name="申请人"
    )
    kind = models.CharField("导出类型", max_length=64)
    params = models.JSONField("导出参数", default=dict)
    unmasked = models.BooleanField("不脱敏", default=False)
    estimated_rows = models.PositiveIntegerField("预计行数", default=0)
    reason = models.CharField("申请事由", max_length=500)
    state = models.CharField("状态", max_length=16, choices=ExportState.choices, default=ExportState.REQUESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="export_decisions",
        verbose_name="审批人",
    )
    decision_reason = models.CharField("审批意见", max_length=500, blank=True)
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    downloads = models.PositiveIntegerField("下载次数", default=0)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = "导出申请"
        verbose_name_plural = "导出申请"
        indexes = [models.Index(fields=["state", "created_at"], name="exports_state_created")]
        constraints = [
            # Nobody approves their own export (the workflow checks it too).
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requester")),
                name="exports_not_self_decided",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="exports_reason_required"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"DC{self.pk:06d}"

    @property
    def kind_label(self) -> str:
        # A page's own export (kind "page") is named by its file.
        return str(self.params.get("filename") or "") if self.kind == "page" else kind_label(self.kind)
