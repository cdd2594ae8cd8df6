"""结对帮扶 (issue 15, item 6): a member paired with a household in
difficulty, or a stronger branch paired with a weaker one; each pair's visits
and help records, written on a phone."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped
from grassroots.regions.models import Household

from .organisation import Branch, Member


class PairKind(models.TextChoices):
    HOUSEHOLD = "household", _("党员联系困难户")
    BRANCH = "branch", _("强村带弱村(支部结对)")


class Pair(PathScoped):
    """Scoped by the helping side's branch (the member's, or the stronger branch)."""

    path_from = "branch"

    kind = models.CharField(_("结对类型"), max_length=10, choices=PairKind.choices)
    branch = models.ForeignKey(Branch, verbose_name=_("帮扶党组织"), on_delete=models.PROTECT, related_name="pairs")
    member = models.ForeignKey(
        Member, verbose_name=_("帮扶党员"), null=True, blank=True, on_delete=models.PROTECT, related_name="pairs"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("困难户"), null=True, blank=True, on_delete=models.PROTECT, related_name="party_pairs"
    )
    partner = models.ForeignKey(
        Branch, verbose_name=_("结对党组织"), null=True, blank=True, on_delete=models.PROTECT, related_name="helped_by"
    )
    difficulty = models.CharField(_("困难情况"), max_length=200, blank=True)
    started_on = models.DateField(_("结对日期"))
    active = models.BooleanField(_("在结对"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path", "-started_on", "id"]
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对帮扶")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="household", member__isnull=False, household__isnull=False, partner__isnull=True)
                    | models.Q(kind="branch", member__isnull=True, household__isnull=True, partner__isnull=False)
                ),
                name="party_pair_sides",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class VisitKind(models.TextChoices):
    VISIT = "visit", _("走访")
    HELP = "help", _("帮扶")


class PairVisit(PathScoped):
    path_from = "pair"

    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="visits")
    kind = models.CharField(_("类型"), max_length=10, choices=VisitKind.choices, default=VisitKind.VISIT)
    visited_on = models.DateField(_("日期"), db_index=True)
    note = models.CharField(_("情况记录"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("帮扶记录")
        verbose_name_plural = _("帮扶记录")
