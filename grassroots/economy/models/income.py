"""Income of the villages' collective economy (issue 14, item 3): one entry
per village, source and month (optionally a project's name), and the
projected income per village and year it is compared with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped
from grassroots.regions.models import Node


class Source(models.TextChoices):
    MARKET = "market", _("便民市场")
    PARCEL = "parcel", _("电商快递驿站")
    SERVICES = "services", _("服务业")
    RENT = "rent", _("租金")
    DIVIDEND = "dividend", _("分红")
    OTHER = "other", _("其他")


class IncomeEntry(PathScoped):
    path_from = "village"

    village = models.ForeignKey(Node, verbose_name=_("村/社区"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"), db_index=True)  # the first day of the month
    source = models.CharField(_("收入来源"), max_length=20, choices=Source.choices)
    project = models.CharField(_("项目"), max_length=100, blank=True)
    amount = models.DecimalField(_("金额(元)"), max_digits=14, decimal_places=2)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "path", "source", "id"]
        verbose_name = _("集体收入")
        verbose_name_plural = _("集体收入")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="economy_income_not_negative"),
            models.UniqueConstraint(
                fields=["village", "month", "source", "project"], name="economy_income_once_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.month:%Y-%m} {self.source} {self.amount}"


class IncomeTarget(PathScoped):
    """The projected collective income of a village for a year (预计增收)."""

    path_from = "village"

    village = models.ForeignKey(Node, verbose_name=_("村/社区"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年度"))
    amount = models.DecimalField(_("预计收入(元)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["-year", "path"]
        verbose_name = _("预计收入")
        verbose_name_plural = _("预计收入")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="economy_target_not_negative"),
            models.UniqueConstraint(fields=["village", "year"], name="economy_target_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.year} {self.amount}"
