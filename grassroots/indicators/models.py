"""The monthly economic indicator ledger (issue 16, item 1).

`Indicator` is a definition (规上工业总产值, 亿元, 规上, reported as a
year-to-date cumulative figure by the statistics office ...). `Ledger` is one
node's month (a subdistrict or a village), with its state on the workflow
engine. `Value` is the figure as reported for one indicator in one ledger:
the year-to-date figure for a cumulative indicator, the month's figure for a
monthly one; everything else (monthly from cumulative, cumulative from
monthly, year-on-year, month-on-month) is computed (computations.py), never
typed. `ValueEvent` is a value's append-only history, `LedgerEvent` the
ledger's."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped, WorkflowEvent
from grassroots.regions.models import Node

from .states import State


class Unit(models.TextChoices):
    HUNDRED_MILLION = "100m_yuan", _("亿元")
    TEN_THOUSAND = "10k_yuan", _("万元")
    PERCENT = "percent", _("%")


class Scope(models.TextChoices):
    ABOVE_SIZE = "above_size", _("规上")
    ABOVE_QUOTA = "above_quota", _("限上")
    ALL = "all", _("全口径")


class Kind(models.TextChoices):
    CUMULATIVE = "cumulative", _("累计值(年初至本月)")
    MONTHLY = "monthly", _("当月值")


class Indicator(models.Model):
    name = models.CharField(_("指标名称"), max_length=60, unique=True)
    unit = models.CharField(_("计量单位"), max_length=12, choices=Unit.choices)
    scope = models.CharField(_("统计口径"), max_length=12, choices=Scope.choices)
    kind = models.CharField(_("报送方式"), max_length=12, choices=Kind.choices, default=Kind.CUMULATIVE)
    department = models.CharField(_("来源部门"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("显示顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("经济指标")
        verbose_name_plural = _("经济指标")

    def __str__(self) -> str:
        return self.name


class Ledger(PathScoped):
    """One node's indicator values for one month (the first day of the month)."""

    path_from = "node"

    node = models.ForeignKey(Node, verbose_name=_("街道/村(社区)"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path", "-month"]
        verbose_name = _("指标月报")
        verbose_name_plural = _("指标月报")
        constraints = [
            models.UniqueConstraint(fields=["node", "month"], name="indicator_ledger_node_month_unique"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="indicator_ledger_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.node_id} {self.month:%Y-%m}"


class Value(models.Model):
    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("填报值"), max_digits=18, decimal_places=4)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator__order", "indicator_id"]
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        constraints = [
            models.UniqueConstraint(fields=["ledger", "indicator"], name="indicator_value_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}={self.value}"


class LedgerEvent(WorkflowEvent):
    ledger = models.ForeignKey(Ledger, on_delete=models.CASCADE, related_name="events")

    append_only_message = "指标月报记录只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("指标月报记录")
        verbose_name_plural = _("指标月报记录")


class ValueEvent(WorkflowEvent):
    """A value set, imported or corrected: `data` holds old and new (as
    strings), `text` the reason of a correction after locking."""

    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="events")

    append_only_message = "指标值记录只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("指标值记录")
        verbose_name_plural = _("指标值记录")
