"""The organisations of 跨村联建 (issue 14, item 1): a platform company owned
by shareholder villages, under a joint committee (联村党委) that is party's
organisation of that kind (ADR 0045: one record, kept in party's pages).
A company's shares are kept as dated rows: a change of shares closes the
rows in force (`valid_to`) and opens new ones, so the shares
at any date can be read back; on every date they sum to exactly 100%
(checked by the service that writes them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped
from grassroots.party.models import Branch, BranchKind
from grassroots.regions.models import Node


class Company(PathScoped):
    """A platform company (镇级集体经济投资公司) owned by villages."""

    path_from = "node"

    name = models.CharField(_("公司名称"), max_length=100, unique=True)
    node = models.ForeignKey(Node, verbose_name=_("所属辖区"), on_delete=models.PROTECT, related_name="+")
    # The 联村党委 is party's organisation (kind 联村党委), the one record of
    # it (ADR 0045): its member villages are party's.
    committee = models.ForeignKey(
        Branch,
        verbose_name=_("联村党委"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="companies",
        limit_choices_to={"kind": BranchKind.JOINT},
    )
    founded_on = models.DateField(_("成立日期"))
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path", "name", "id"]
        verbose_name = _("平台公司")
        verbose_name_plural = _("平台公司")

    def __str__(self) -> str:
        return self.name


class Shareholding(models.Model):
    """One shareholder village's contribution and share, valid from a date
    until the day before `valid_to` (open when null)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="shareholdings")
    village = models.ForeignKey(Node, verbose_name=_("股东村/社区"), on_delete=models.PROTECT, related_name="+")
    contribution = models.DecimalField(_("出资额(元)"), max_digits=14, decimal_places=2)
    share = models.DecimalField(_("持股比例(%)"), max_digits=7, decimal_places=4)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("截止日期(不含)"), null=True, blank=True)

    class Meta:
        ordering = ["company_id", "-valid_from", "village__path", "id"]
        verbose_name = _("股权")
        verbose_name_plural = _("股权")
        constraints = [
            models.CheckConstraint(condition=Q(share__gt=0) & Q(share__lte=100), name="economy_share_range"),
            models.CheckConstraint(condition=Q(contribution__gte=0), name="economy_contribution_positive"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")), name="economy_share_dates"
            ),
            models.UniqueConstraint(fields=["company", "village", "valid_from"], name="economy_share_once_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id} {self.village_id} {self.share}%"
