"""The key-project ledger (issue 14, item 5): district and city key projects
(区重点/市重大) with their stage, next milestone, blockers and responsible
leader, and the land-clearance plots behind them, each with four stages that
run in parallel (腾空, 签约, 拆除, 补偿): a stage is done on the day recorded."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped, WorkflowEvent
from grassroots.regions.models import Node

from ..states import TenantState


class ProjectLevel(models.TextChoices):
    DISTRICT = "district", _("区重点项目")
    CITY = "city", _("市重大项目")


class ProjectStage(models.TextChoices):
    PREPARING = "preparing", _("前期")
    BUILDING = "building", _("在建")
    COMPLETED = "completed", _("竣工")


class ProjectKind(models.TextChoices):
    PARK = "park", _("园区")
    MARKET = "market", _("市场")
    ROAD = "road", _("道路")
    OTHER = "other", _("其他")


class PlotStage(models.TextChoices):
    VACATED = "vacated", _("腾空")
    SIGNED = "signed", _("签约")
    DEMOLISHED = "demolished", _("拆除")
    COMPENSATED = "compensated", _("补偿")


class KeyProject(PathScoped):
    path_from = "node"

    name = models.CharField(_("项目名称"), max_length=100)
    node = models.ForeignKey(Node, verbose_name=_("所在辖区"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("级别"), max_length=10, choices=ProjectLevel.choices, db_index=True)
    stage = models.CharField(_("阶段"), max_length=12, choices=ProjectStage.choices, default=ProjectStage.PREPARING)
    next_milestone = models.CharField(_("下一节点"), max_length=200, blank=True)
    next_milestone_on = models.DateField(_("节点日期"), null=True, blank=True)
    blockers = models.TextField(_("存在问题"), blank=True)
    leader = models.CharField(_("包挂领导"), max_length=50, blank=True)
    project_type = models.CharField(_("类别"), max_length=10, choices=ProjectKind.choices, default=ProjectKind.OTHER)
    owner = models.CharField(_("责任单位"), max_length=100, blank=True)
    budget = models.DecimalField(_("总投资(元)"), max_digits=16, decimal_places=2, default=0)
    funding = models.CharField(_("资金来源"), max_length=200, blank=True)
    # Derived: the progress of the last reached milestone (services.milestones keeps it).
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["level", "name", "id"]
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        constraints = [
            models.UniqueConstraint(fields=["name"], name="economy_key_project_name_once"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="economy_project_budget_not_negative"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="economy_project_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    """A dated milestone of a project: planned for a day, reached on a day
    (in planned order), and the project's progress once it is reached."""

    project = models.ForeignKey(KeyProject, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(_("节点名称"), max_length=100)
    planned_on = models.DateField(_("计划日期"))
    reached_on = models.DateField(_("达成日期"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("达成后进度(%)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "planned_on", "id"]
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=1, progress__lte=100), name="economy_milestone_progress_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LandPlot(PathScoped):
    path_from = "village"

    project = models.ForeignKey(
        KeyProject, verbose_name=_("重点项目"), null=True, blank=True, on_delete=models.PROTECT, related_name="plots"
    )
    village = models.ForeignKey(Node, verbose_name=_("村/社区"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("地块名称"), max_length=100)
    area_mu = models.DecimalField(_("面积(亩)"), max_digits=10, decimal_places=2)
    vacated_on = models.DateField(_("腾空日期"), null=True, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True)
    demolished_on = models.DateField(_("拆除日期"), null=True, blank=True)
    compensated_on = models.DateField(_("补偿到位日期"), null=True, blank=True)

    class Meta:
        ordering = ["path", "name", "id"]
        verbose_name = _("待腾空地块")
        verbose_name_plural = _("待腾空地块")
        constraints = [models.CheckConstraint(condition=Q(area_mu__gt=0), name="economy_plot_area_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def stages_done(self) -> int:
        return sum(1 for s in PlotStage.values if getattr(self, f"{s}_on") is not None)


class Tenant(PathScoped):
    """A company in a park project's tenant pipeline (招商): area and rent,
    its state on the engine (states.TENANT_TABLE)."""

    path_from = "project"

    project = models.ForeignKey(
        KeyProject, verbose_name=_("园区项目"), on_delete=models.PROTECT, related_name="tenants"
    )
    company = models.CharField(_("企业名称"), max_length=100)
    area_m2 = models.DecimalField(_("面积(平方米)"), max_digits=12, decimal_places=2)
    annual_rent = models.DecimalField(_("年租金(元)"), max_digits=14, decimal_places=2, default=0)
    state = models.CharField(_("状态"), max_length=12, choices=TenantState.choices, default=TenantState.INTENT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project_id", "company", "id"]
        verbose_name = _("入驻企业")
        verbose_name_plural = _("入驻企业")
        constraints = [
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="economy_tenant_area_positive"),
            models.CheckConstraint(condition=Q(annual_rent__gte=0), name="economy_tenant_rent_not_negative"),
        ]

    def __str__(self) -> str:
        return self.company


class TenantEvent(WorkflowEvent):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="events")

    append_only_message = "入驻企业记录只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("入驻企业记录")
        verbose_name_plural = _("入驻企业记录")
