"""The 红黄榜 of party-member education management (issue 15, item 8): the
points rule a subdistrict sets (versioned: a change is a new version, a
computed month keeps the version it used), and the monthly list per
subdistrict with one entry per member and per branch, each with the
breakdown of its points."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped, WorkflowEvent
from grassroots.regions.models import Node

from ..states import BoardState
from .organisation import Branch, Member


class PointsRule(PathScoped):
    path_from = "subdistrict"

    subdistrict = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="party_rules")
    version = models.PositiveIntegerField(_("版本"))
    training_hour = models.DecimalField(_("每学时积分"), max_digits=6, decimal_places=2)
    pair_visit = models.DecimalField(_("每次结对走访积分"), max_digits=6, decimal_places=2)
    activity = models.DecimalField(_("每次参加活动积分"), max_digits=6, decimal_places=2)
    matter_raised = models.DecimalField(_("每件反映说事积分"), max_digits=6, decimal_places=2)
    matter_settled = models.DecimalField(_("每件办结说事积分"), max_digits=6, decimal_places=2)
    red_at = models.DecimalField(_("红榜分数线(不低于)"), max_digits=6, decimal_places=2)
    yellow_below = models.DecimalField(_("黄榜分数线(低于)"), max_digits=6, decimal_places=2)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["subdistrict", "-version"]
        verbose_name = _("红黄榜积分规则")
        verbose_name_plural = _("红黄榜积分规则")
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "version"], name="party_rule_version"),
            models.CheckConstraint(condition=models.Q(red_at__gt=models.F("yellow_below")), name="party_rule_lines"),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


class Board(PathScoped):
    path_from = "subdistrict"

    subdistrict = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="party_boards")
    month = models.DateField(_("月份"))
    rule = models.ForeignKey(PointsRule, on_delete=models.PROTECT, related_name="boards")
    state = models.CharField(_("状态"), max_length=10, choices=BoardState.choices, default=BoardState.DRAFT)
    computed_at = models.DateTimeField(_("计算时间"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("红黄榜")
        verbose_name_plural = _("红黄榜")
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "month"], name="party_board_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="party_board_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class Standing(models.TextChoices):
    RED = "red", _("红榜")
    YELLOW = "yellow", _("黄榜")
    NONE = "none", _("一般")


class Entry(models.Model):
    """One member's or one branch's points of a month; `breakdown` holds
    each term: {term: {"count": n, "weight": w, "points": p}}."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="+")
    points = models.DecimalField(_("积分"), max_digits=8, decimal_places=2)
    standing = models.CharField(_("榜单"), max_length=10, choices=Standing.choices)
    breakdown = models.JSONField(_("积分明细"), default=dict)

    class Meta:
        ordering = ["board", "-points", "id"]
        verbose_name = _("红黄榜条目")
        verbose_name_plural = _("红黄榜条目")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "member"], condition=models.Q(member__isnull=False), name="party_entry_member"
            ),
            models.UniqueConstraint(
                fields=["board", "branch"], condition=models.Q(member__isnull=True), name="party_entry_branch"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.board_id} {self.points}"


class BoardEvent(WorkflowEvent):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="events")

    append_only_message = "红黄榜记录只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("红黄榜记录")
        verbose_name_plural = _("红黄榜记录")
