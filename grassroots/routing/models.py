"""The text router's model versions and the suggestions it made (issue 17).

`RouterVersion` is one trained model: its file (under ROUTING_MODEL_DIR),
training date, data size, cross-validated scores, and how many corrections
staff had made when it was trained (the weekly job retrains when enough new
ones exist). `Suggestion` is what the router proposed for one matter, with
the version that proposed it, and what staff finally chose."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped
from grassroots.matters.models import Category, Matter


class RouterVersion(models.Model):
    number = models.PositiveIntegerField(_("版本号"), unique=True)
    trained_at = models.DateTimeField(_("训练时间"))
    file_name = models.CharField(_("模型文件"), max_length=200)
    rows = models.PositiveIntegerField(_("训练样本数"))
    class_count = models.PositiveSmallIntegerField(_("类别数"))
    cv_folds = models.PositiveSmallIntegerField(_("交叉验证折数"), default=0)
    cv_macro_f1 = models.FloatField(_("交叉验证 macro-F1"), null=True, blank=True)
    per_class_f1 = models.JSONField(_("各类 F1"), default=dict, blank=True)
    corrections_seen = models.PositiveIntegerField(_("训练时已有更正数"), default=0)
    source = models.CharField(_("训练数据来源"), max_length=100, default="history")
    active = models.BooleanField(_("正在使用"), default=False)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("推荐模型版本")
        verbose_name_plural = _("推荐模型版本")
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="router_one_active"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"v{self.number}"

    @property
    def cv_display(self) -> str:
        return "—" if self.cv_macro_f1 is None else f"{self.cv_macro_f1:.3f}"


class Suggestion(PathScoped):
    path_from = "matter"

    matter = models.OneToOneField(Matter, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="suggestion")
    version = models.ForeignKey(
        RouterVersion, verbose_name=_("模型版本"), on_delete=models.PROTECT, related_name="suggestions"
    )
    created_at = models.DateTimeField(_("推荐时间"), auto_now_add=True)
    # [{"category": id, "confidence": 0.93}, …] best first, at most three.
    ranked = models.JSONField(_("推荐前三"), default=list)
    top_category = models.ForeignKey(Category, verbose_name=_("首选推荐"), on_delete=models.PROTECT, related_name="+")
    top_confidence = models.FloatField(_("首选置信度"))
    low_confidence = models.BooleanField(_("置信度低"), default=False)
    final_category = models.ForeignKey(
        Category, verbose_name=_("最终分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_as_is = models.BooleanField(_("直接采纳首选"), null=True, blank=True)
    in_top3 = models.BooleanField(_("最终分类在前三之内"), null=True, blank=True)
    decided_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("分类推荐")
        verbose_name_plural = _("分类推荐")
        indexes = [models.Index(fields=["path", "decided_at"], name="suggestion_path_decided")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(top_confidence__gte=0) & models.Q(top_confidence__lte=1),
                name="suggestion_confidence_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id}: {self.top_category_id} ({self.top_confidence:.2f})"

    @property
    def corrected(self) -> bool:
        return self.accepted_as_is is False
