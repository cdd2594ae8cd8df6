"""Hazards (隐患) and their rectification loop on the workflow engine
(states.py): raised from a failed checklist item of an inspection (the item
and its legal basis copied), a rectification notice with a deadline in
working days and a number, evidence of rectification, re-inspection, or a
referral to enforcement. `public_code` is what the notice's QR code opens
(a public status page without personal data). `HazardEvent` is the record."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped, WorkflowEvent

from ..states import HazardState
from .checklists import ChecklistItem
from .inspections import Inspection
from .premises import Premises


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("一般隐患")
    MAJOR = "major", _("重大隐患")


class HazardSource(models.TextChoices):
    INSPECTION = "inspection", _("检查发现")
    MATTER = "matter", _("群众反映线索")


def new_public_code() -> str:
    return secrets.token_urlsafe(12)


class Hazard(PathScoped):
    path_from = "premises"

    premises = models.ForeignKey(Premises, on_delete=models.PROTECT, related_name="hazards")
    source = models.CharField(_("来源"), max_length=12, choices=HazardSource.choices, default=HazardSource.INSPECTION)
    # An inspection's hazard names its failed item; a lead from a matter has neither.
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="hazards")
    item = models.ForeignKey(ChecklistItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The matter it came from (a lead) or the one it opened: one hazard per matter.
    matter = models.OneToOneField(
        "matters.Matter",
        verbose_name=_("关联事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="safety_hazard",
    )
    description = models.CharField(_("隐患描述"), max_length=200)
    legal_basis = models.CharField(_("法律依据"), max_length=300, blank=True)
    level = models.CharField(_("隐患等级"), max_length=10, choices=HazardLevel.choices, default=HazardLevel.GENERAL)
    state = models.CharField(_("状态"), max_length=20, choices=HazardState.choices, default=HazardState.FOUND)
    notice_number = models.CharField(_("整改通知书编号"), max_length=30, blank=True)
    notice_issued_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True, db_index=True)
    evidence = models.FileField(_("整改照片"), upload_to="safety/evidence/%Y/%m/", blank=True)
    rectified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    referral_record = models.TextField(_("移交执法记录"), blank=True)
    escalated_at = models.DateTimeField(_("逾期督办时间"), null=True, blank=True)
    public_code = models.CharField(max_length=24, unique=True, default=new_public_code, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("安全隐患")
        verbose_name_plural = _("安全隐患")
        indexes = [models.Index(fields=["state", "deadline"], name="hazard_state_deadline")]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="hazard_unique_inspection_item"),
            models.CheckConstraint(
                condition=models.Q(state="found") | models.Q(deadline__isnull=False),
                name="hazard_deadline_after_notice",
            ),
            models.CheckConstraint(
                condition=models.Q(source="inspection", inspection__isnull=False, item__isnull=False)
                | models.Q(source="matter", matter__isnull=False),
                name="hazard_source_recorded",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class HazardEvent(WorkflowEvent):
    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="events")

    append_only_message = "隐患记录只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("隐患记录")
        verbose_name_plural = _("隐患记录")

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.action}"
