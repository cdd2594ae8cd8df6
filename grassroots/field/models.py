"""One outbox item a worker's phone delivered (ADR 0054). The unique
(worker, key) pair is the idempotency: a retried delivery finds the row and
answers what the first one did; two concurrent deliveries of one key race on
the constraint and the loser reads the winner's row."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped
from grassroots.regions.models import Node

from .states import ItemType, Option, Reason, Status


class SyncItem(PathScoped):
    # Scoped to the worker's place when it arrived: supervisors see their subtree's items.
    path_from = "node"

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("网格员"), on_delete=models.PROTECT, related_name="sync_items"
    )
    node = models.ForeignKey(Node, verbose_name=_("所在网格"), on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("同步编号"), max_length=64)
    type = models.CharField(_("类型"), max_length=20, choices=ItemType.choices)
    # The body as delivered, photos replaced by their sha256 and metadata once
    # stored (a conflict keeps the photos until it is resolved).
    body = models.JSONField(_("内容"), default=dict)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, db_index=True)
    reason = models.CharField(_("原因"), max_length=30, choices=Reason.choices, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    errors = models.JSONField(_("错误"), default=dict, blank=True)
    record_type = models.CharField(_("记录类型"), max_length=40, blank=True)
    record_id = models.PositiveBigIntegerField(_("记录编号"), null=True, blank=True)
    record_label = models.CharField(_("记录"), max_length=200, blank=True)
    record_url = models.CharField(max_length=200, blank=True)
    resolution = models.CharField(_("处理方式"), max_length=20, choices=Option.choices, blank=True)
    created_at = models.DateTimeField(_("记录时间"))
    received_at = models.DateTimeField(_("收到时间"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("同步记录")
        verbose_name_plural = _("同步记录")
        constraints = [models.UniqueConstraint(fields=["worker", "key"], name="field_sync_item_unique_key")]
        indexes = [models.Index(fields=["worker", "status", "received_at"], name="field_item_worker_status")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.key}"
