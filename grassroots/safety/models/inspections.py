"""Inspections (issue 13, item 7): a premises inspected on a phone against
the checklist version in force, one answer per item (合格 / 不合格 / 不涉及,
with a note), photos checked by content, the inspectors and the time. An
inspection is a record: it is written once and never edited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped

from .checklists import ChecklistItem, ChecklistVersion
from .premises import Premises


class Result(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    NOT_APPLICABLE = "na", _("不涉及")


class Inspection(PathScoped):
    path_from = "premises"

    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="inspections")
    version = models.ForeignKey(
        ChecklistVersion, verbose_name=_("检查表版本"), on_delete=models.PROTECT, related_name="inspections"
    )
    inspected_at = models.DateTimeField(_("检查时间"), db_index=True)
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("检查人员"), related_name="+")
    # None: recorded by the system (the demo).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    failed = models.PositiveIntegerField(_("不合格项数"), default=0)
    note = models.TextField(_("检查情况"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-inspected_at", "-id"]
        verbose_name = _("安全检查")
        verbose_name_plural = _("安全检查")

    def __str__(self) -> str:
        return f"{self.premises} {self.inspected_at:%Y-%m-%d}"


class InspectionAnswer(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("结果"), max_length=4, choices=Result.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        ordering = ["inspection", "item__position"]
        verbose_name = _("检查结果")
        verbose_name_plural = _("检查结果")
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="inspection_answer_unique_item"),
            models.CheckConstraint(
                condition=~models.Q(result="fail") | ~models.Q(note=""), name="inspection_answer_fail_note"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}/{self.item_id} {self.result}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="safety/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["inspection", "id"]
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.sha256[:12]}"
