"""Versioned inspection checklists (issue 13, item 6). A checklist applies to
some premises kinds; each published version is a fixed list of items, each
with its legal basis. Publishing makes a new version (the items are copied,
never edited in place), so an inspection answers the items of the version in
force when it was made and keeps them whatever is published later.
Checklists are the subdistrict's catalogue, the same for its whole tree."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Checklist(models.Model):
    code = models.SlugField(_("代码"), max_length=40, unique=True)
    title = models.CharField(_("检查表名称"), max_length=100)
    # The premises kinds (PremisesKind values) this checklist is used for.
    kinds = models.JSONField(_("适用场所类型"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("安全检查表")
        verbose_name_plural = _("安全检查表")

    def __str__(self) -> str:
        return self.title


class ChecklistVersion(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    note = models.CharField(_("修订说明"), max_length=200, blank=True)
    # None: published by the system (the seed, the demo).
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checklist", "-number"]
        verbose_name = _("检查表版本")
        verbose_name_plural = _("检查表版本")
        constraints = [
            models.UniqueConstraint(fields=["checklist", "number"], name="checklist_version_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="checklist_version_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.checklist} 第{self.number}版"


class ChecklistItem(models.Model):
    version = models.ForeignKey(ChecklistVersion, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField(_("序号"))
    text = models.CharField(_("检查内容"), max_length=300)
    legal_basis = models.CharField(_("法律依据"), max_length=300)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("检查项")
        verbose_name_plural = _("检查项")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="checklist_item_unique_position"),
        ]

    def __str__(self) -> str:
        return self.text
