"""Sweep campaigns (打非治违 and other 专项检查): which premises to cover
(the operating premises of some kinds under a village or the subdistrict) by
when. Coverage is counted from the inspections in the campaign's window, so
an inspection needs no link to a campaign and counts for every campaign it
falls in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped
from grassroots.regions.models import Node


class Campaign(PathScoped):
    path_from = "node"

    title = models.CharField(_("行动名称"), max_length=100)
    node = models.ForeignKey(Node, verbose_name=_("范围"), on_delete=models.PROTECT, related_name="safety_campaigns")
    # PremisesKind values; empty: every kind.
    kinds = models.JSONField(_("场所类型"), default=list, blank=True)
    starts_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("完成期限"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("专项检查行动")
        verbose_name_plural = _("专项检查行动")
        constraints = [
            models.CheckConstraint(condition=models.Q(due_on__gte=models.F("starts_on")), name="safety_campaign_dates")
        ]

    def __str__(self) -> str:
        return self.title
