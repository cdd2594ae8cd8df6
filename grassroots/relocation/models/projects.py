"""A relocation project (棚改, a road, a station square) scoped to a node of
the tree, and its batches (第一批次 365 户非住宅 …)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped
from grassroots.regions.models import Node


class ProjectKind(models.TextChoices):
    SHANTY = "shanty", _("棚户区改造")
    ROAD = "road", _("道路建设")
    STATION = "station", _("车站广场")
    OTHER = "other", _("其他")


class Project(PathScoped):
    """One relocation project; its node is the place it covers (the
    subdistrict or a village): who sees the project is decided by that path,
    who sees a unit by the unit's own village."""

    path_from = "node"

    name = models.CharField(_("项目名称"), max_length=100, unique=True)
    kind = models.CharField(_("项目类型"), max_length=20, choices=ProjectKind.choices)
    node = models.ForeignKey(Node, verbose_name=_("所属辖区"), on_delete=models.PROTECT, related_name="+")
    implementer = models.CharField(_("征收实施单位"), max_length=100, blank=True)
    description = models.TextField(_("项目说明"), blank=True)
    start_date = models.DateField(_("启动日期"), null=True, blank=True)
    target_date = models.DateField(_("目标完成日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("征迁项目")
        verbose_name_plural = _("征迁项目")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(target_date__isnull=True)
                | models.Q(target_date__gte=models.F("start_date")),
                name="relocation_project_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name


class BatchKind(models.TextChoices):
    RESIDENTIAL = "residential", _("住宅")
    NON_RESIDENTIAL = "non_residential", _("非住宅")


class Batch(models.Model):
    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveSmallIntegerField(_("批次号"))
    name = models.CharField(_("批次名称"), max_length=100)
    kind = models.CharField(_("批次类型"), max_length=20, choices=BatchKind.choices)
    # The batch's targets: how many units it plans, the signing rate to reach, and by when.
    target_units = models.PositiveIntegerField(_("计划户数"), null=True, blank=True)
    target_rate = models.DecimalField(_("目标签约率(%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    target_date = models.DateField(_("目标签约日期"), null=True, blank=True)

    class Meta:
        ordering = ["project_id", "number"]
        verbose_name = _("征迁批次")
        verbose_name_plural = _("征迁批次")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="relocation_batch_number_unique"),
            models.CheckConstraint(
                condition=models.Q(target_rate__isnull=True) | models.Q(target_rate__gte=0, target_rate__lte=100),
                name="relocation_batch_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name
