"""民生实事 projects: a budget (yuan, Decimal), where the money comes from,
milestones with the progress each one stands for, and photos (checked by
content). Reaching a milestone publishes the project's progress through
晒事 (the publication-source protocol, livelihood/publishing.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped
from grassroots.regions.models import Node


class Project(PathScoped):
    path_from = "node"

    title = models.CharField(_("项目名称"), max_length=100)
    node = models.ForeignKey(Node, verbose_name=_("实施范围"), on_delete=models.PROTECT, related_name="+")
    budget = models.DecimalField(_("预算(元)"), max_digits=14, decimal_places=2)
    funding_source = models.CharField(_("资金来源"), max_length=100)
    description = models.TextField(_("项目内容"), max_length=2000, blank=True)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path", "-created_at", "-id"]
        verbose_name = _("民生实事项目")
        verbose_name_plural = _("民生实事项目")
        constraints = [
            models.CheckConstraint(condition=models.Q(budget__gt=0), name="livelihood_project_budget"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="livelihood_project_progress"),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(PathScoped):
    path_from = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("节点"), max_length=100)
    percent = models.PositiveSmallIntegerField(_("完成后进度(%)"))
    due_on = models.DateField(_("计划日期"), null=True, blank=True)
    reached_on = models.DateField(_("完成日期"), null=True, blank=True)
    reached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("完成情况"), max_length=500, blank=True)

    class Meta:
        ordering = ["project", "position"]
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        constraints = [
            models.UniqueConstraint(fields=["project", "position"], name="livelihood_milestone_position"),
            models.CheckConstraint(
                condition=models.Q(percent__gte=1, percent__lte=100), name="livelihood_milestone_percent"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectPhoto(PathScoped):
    path_from = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="livelihood/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("项目照片")
        verbose_name_plural = _("项目照片")

    def __str__(self) -> str:
        return f"{self.project_id} {self.sha256[:12]}"
