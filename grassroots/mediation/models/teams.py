"""1+1+N: people's mediation committees, the legal adviser of each grid
(网格+法律顾问) and the advisers' legal consultations (法律咨询). Imported by
models.py, so Django registers them with the mediation app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped
from grassroots.regions.models import Node

USER = settings.AUTH_USER_MODEL


class Committee(PathScoped):
    """A people's mediation committee (人民调解委员会). It may handle disputes
    anywhere under its node: the subdistrict's committee everywhere, a
    village's committee in that village."""

    path_from = "node"

    name = models.CharField(_("名称"), max_length=100, unique=True)
    node = models.ForeignKey(Node, verbose_name=_("所在辖区"), on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path", "name"]
        verbose_name = _("人民调解委员会")
        verbose_name_plural = _("人民调解委员会")

    def __str__(self) -> str:
        return self.name


class GridAdviser(PathScoped):
    """网格+法律顾问: the legal adviser serving a grid. One current adviser per
    grid; an adviser may serve several grids. Ended assignments stay as history."""

    path_from = "grid"

    grid = models.ForeignKey(Node, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+")
    adviser = models.ForeignKey(
        USER, verbose_name=_("法律顾问"), on_delete=models.PROTECT, related_name="adviser_grids"
    )
    since = models.DateField(_("开始日期"))
    until = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        ordering = ["path", "-since"]
        verbose_name = _("网格法律顾问")
        verbose_name_plural = _("网格法律顾问")
        constraints = [
            models.UniqueConstraint(
                fields=["grid"], condition=models.Q(until__isnull=True), name="grid_adviser_one_current"
            ),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
                name="grid_adviser_period_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grid} {self.adviser}"


class ConsultationTopic(models.TextChoices):
    FAMILY = "family", _("婚姻家庭继承")
    LABOUR = "labour", _("劳动用工")
    PROPERTY = "property", _("房产物业")
    LAND = "land", _("土地征迁")
    CONTRACT = "contract", _("合同债务")
    TORT = "tort", _("侵权赔偿")
    OTHER = "other", _("其他")


class Consultation(PathScoped):
    """A legal consultation (法律咨询) a grid's legal adviser gave. The asker's
    name is shown masked; no ID number or phone is kept."""

    path_from = "grid"

    grid = models.ForeignKey(Node, verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+")
    adviser = models.ForeignKey(
        USER, verbose_name=_("法律顾问"), on_delete=models.PROTECT, related_name="consultations"
    )
    consulted_on = models.DateField(_("咨询日期"), db_index=True)
    category = models.CharField(_("咨询类别"), max_length=20, choices=ConsultationTopic.choices)
    topic = models.CharField(_("咨询事项"), max_length=100)
    asker_name = models.CharField(_("咨询人"), max_length=50)
    advice = models.TextField(_("解答意见"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-consulted_on", "-id"]
        verbose_name = _("法律咨询")
        verbose_name_plural = _("法律咨询")

    def __str__(self) -> str:
        return f"{self.grid} {self.consulted_on} {self.topic}"
