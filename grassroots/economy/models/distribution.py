"""The annual distribution of a company's profit to its shareholder villages
(issue 14, item 3): the plan with its workflow state (states.py), one line
per village with the share used and the amount in fen, and the plan's
append-only record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped, WorkflowEvent
from grassroots.matters.models import Matter
from grassroots.regions.models import Node

from ..states import State
from .organisations import Company


class DistributionPlan(PathScoped):
    path_from = "company"

    company = models.ForeignKey(Company, verbose_name=_("平台公司"), on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveIntegerField(_("年度"))
    total = models.DecimalField(_("可分配利润(元)"), max_digits=14, decimal_places=2)
    shares_on = models.DateField(_("股权基准日"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    resolution = models.CharField(_("议事结果"), max_length=500, blank=True)
    # 议事: the village whose meeting deliberates the plan, and the collective
    # matter (集体收益分配) a submission opens for its agenda.
    village = models.ForeignKey(
        Node, verbose_name=_("议事村/社区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    matter = models.ForeignKey(
        Matter, verbose_name=_("议事事项"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "path", "id"]
        verbose_name = _("收益分配方案")
        verbose_name_plural = _("收益分配方案")
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="economy_plan_total_positive"),
            models.UniqueConstraint(fields=["company", "year"], name="economy_plan_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.company} {self.year}年度收益分配方案"


class DistributionLine(models.Model):
    plan = models.ForeignKey(DistributionPlan, on_delete=models.CASCADE, related_name="lines")
    village = models.ForeignKey(Node, verbose_name=_("股东村/社区"), on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(_("持股比例(%)"), max_digits=7, decimal_places=4)
    amount = models.DecimalField(_("分配金额(元)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["plan_id", "village__path", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "village"], name="economy_line_once")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.village_id} {self.amount}"


class DistributionEvent(WorkflowEvent):
    plan = models.ForeignKey(DistributionPlan, on_delete=models.CASCADE, related_name="events")

    append_only_message = "分配方案记录只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("分配方案记录")
        verbose_name_plural = _("分配方案记录")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.action}"
