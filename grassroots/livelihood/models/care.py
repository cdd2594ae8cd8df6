"""Care flags, visits and health rounds. People come from the resident
register (regions): a flag marks a resident (living alone, disabled) or a
household (low income) with where the fact came from and since when; a
visit is recorded against a resident and the list it was made for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped, WorkflowEvent
from grassroots.regions.models import Household, Node, Resident

from ..states import FlagState


class FlagKind(models.TextChoices):
    LIVING_ALONE = "living_alone", _("独居老人")
    DISABLED = "disabled", _("残疾人")
    LOW_INCOME = "low_income", _("低收入家庭")


class ListKind(models.TextChoices):
    """The care lists: two derived from the register's own fields, three from flags."""

    BIRTHDAY = "birthday", _("本月生日的70岁以上老人")
    CHILDREN = "children", _("学龄儿童")
    LIVING_ALONE = "living_alone", _("独居老人")
    DISABLED = "disabled", _("残疾人")
    LOW_INCOME = "low_income", _("低收入家庭")


class VisitKind(models.TextChoices):
    BIRTHDAY = "birthday", _("生日走访")
    GIFT = "gift", _("送礼物")
    CARE = "care", _("关爱走访")


class CareFlag(PathScoped):
    path_from = "household"

    kind = models.CharField(_("类型"), max_length=20, choices=FlagKind.choices)
    household = models.ForeignKey(Household, verbose_name=_("户"), on_delete=models.PROTECT, related_name="+")
    # Null for a household's flag (low income); set for a person's.
    resident = models.ForeignKey(
        Resident, verbose_name=_("居民"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("来源"), max_length=100)
    since = models.DateField(_("认定日期"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=FlagState.choices, default=FlagState.ACTIVE)
    ended_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path", "id"]
        verbose_name = _("关爱对象标记")
        verbose_name_plural = _("关爱对象标记")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="low_income", resident__isnull=True)
                | (~models.Q(kind="low_income") & models.Q(resident__isnull=False)),
                name="livelihood_flag_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="ended") | ~models.Q(ended_reason=""),
                name="livelihood_flag_ended_reason",
            ),
            models.UniqueConstraint(
                fields=["kind", "household", "resident"],
                condition=models.Q(state="active"),
                name="livelihood_flag_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.household_id}"


class CareFlagEvent(WorkflowEvent):
    """Append-only record of a flag: set, ended with the reason, restored."""

    flag = models.ForeignKey(CareFlag, on_delete=models.CASCADE, related_name="events")

    append_only_message = "关爱对象记录只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("关爱对象记录")
        verbose_name_plural = _("关爱对象记录")


class CareVisit(PathScoped):
    """A visit to a resident on a care list, recorded on a phone. An opinion
    the resident gave can become a 说事 matter (`matter`) in one step."""

    path_from = "resident"

    resident = models.ForeignKey(Resident, verbose_name=_("居民"), on_delete=models.PROTECT, related_name="+")
    list_kind = models.CharField(_("名单"), max_length=20, choices=ListKind.choices)
    kind = models.CharField(_("走访类型"), max_length=20, choices=VisitKind.choices)
    visited_on = models.DateField(_("走访日期"), db_index=True)
    note = models.CharField(_("走访情况"), max_length=500, blank=True)
    opinion = models.CharField(_("意见建议"), max_length=1000, blank=True)
    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("说事事项"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("关爱走访")
        verbose_name_plural = _("关爱走访")
        indexes = [models.Index(fields=["list_kind", "visited_on"], name="livelihood_visit_list_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visited_on}"


class HealthRound(PathScoped):
    """A 健康巡诊 session at a place: the count of people served and,
    optionally, the residents seen."""

    path_from = "node"

    node = models.ForeignKey(Node, verbose_name=_("村/社区或网格"), on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("地点"), max_length=100)
    held_on = models.DateField(_("巡诊日期"), db_index=True)
    served = models.PositiveIntegerField(_("服务人数"))
    residents = models.ManyToManyField(Resident, verbose_name=_("服务居民"), blank=True, related_name="+")
    note = models.CharField(_("备注"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("健康巡诊")
        verbose_name_plural = _("健康巡诊")
        constraints = [models.CheckConstraint(condition=models.Q(served__gte=1), name="livelihood_round_served")]

    def __str__(self) -> str:
        return f"{self.place} {self.held_on}"
