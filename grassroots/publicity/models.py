"""晒事: publications (公示) of a matter's handling plan and result, of a
meeting's resolutions, of appraisal results and of the red/yellow list, and
the objections (异议) residents raise against them.

A publication is drafted, published for a period (by default five working
days), then ends; a published one can be withdrawn with a reason, which is
audited. Only published and ended publications count for the rule that a
matter touching collective interests closes after its plan and result were
published (matters.services.lifecycle.publicity_missing)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped, WorkflowEvent
from grassroots.regions.models import Node

from .states import State


class Kind(models.TextChoices):
    PLAN = "plan", _("理事方案")
    RESULT = "result", _("理事结果")
    RESOLUTION = "resolution", _("议事决议")
    APPRAISAL = "appraisal", _("评议结果")
    RANKING = "ranking", _("评事考评排行")


# What a resident can see on the portal, the LED board and the feeds.
VISIBLE_STATES = (State.PUBLISHED, State.ENDED)


class Channel(models.TextChoices):
    PORTAL = "portal", _("网站公示栏")
    LED = "led", _("LED 屏")
    NOTICE = "notice", _("公告栏纸质公示")
    WECHAT = "wechat", _("微信群/公众号")


class Publication(PathScoped):
    """One 公示. `node` is where it is shown (the matter's place, the
    meeting's convening unit, the appraised village, or the subdistrict for a
    red/yellow list); exactly one source matches the kind."""

    path_from = "node"

    kind = models.CharField(_("公示内容"), max_length=12, choices=Kind.choices)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    node = models.ForeignKey(Node, verbose_name=_("公示范围"), on_delete=models.PROTECT, related_name="publications")
    matter = models.ForeignKey(
        "matters.Matter", null=True, blank=True, on_delete=models.PROTECT, related_name="publications"
    )
    meeting = models.ForeignKey(
        "deliberation.Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="publications"
    )
    appraisal = models.ForeignKey(
        "evaluation.AppraisalSession", null=True, blank=True, on_delete=models.PROTECT, related_name="publications"
    )
    # The months a red/yellow list covers ({"from": "2026-09", "to": "2026-11"}), and its rows.
    data = models.JSONField(default=dict, blank=True)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("正文"), max_length=5000)
    starts_on = models.DateField(_("公示开始"), null=True, blank=True)
    ends_on = models.DateField(_("公示结束"), null=True, blank=True)
    channels = models.JSONField(_("公示渠道"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        indexes = [
            models.Index(fields=["state", "ends_on"]),
            # Every list shows the newest first: walk this index and stop after a page.
            models.Index(fields=["-starts_on", "-id"], name="publicity_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on"))
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True),
                name="publicity_period_order",
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft") | models.Q(starts_on__isnull=False, ends_on__isnull=False),
                name="publicity_published_has_period",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="withdrawn") | ~models.Q(withdraw_reason=""),
                name="publicity_withdraw_reason_required",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=["plan", "result"], matter__isnull=False, meeting__isnull=True)
                    & models.Q(appraisal__isnull=True)
                )
                | models.Q(kind="resolution", meeting__isnull=False, matter__isnull=True, appraisal__isnull=True)
                | models.Q(kind="appraisal", appraisal__isnull=False, matter__isnull=True, meeting__isnull=True)
                | models.Q(kind="ranking", appraisal__isnull=True, matter__isnull=True, meeting__isnull=True),
                name="publicity_kind_source",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_visible(self) -> bool:
        return self.state in VISIBLE_STATES


class PublicationEvent(WorkflowEvent):
    """Append-only record of a publication's state changes (published for a
    period, ended, withdrawn with the reason) and who made them."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="events")

    append_only_message = "公示动态只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("公示动态")
        verbose_name_plural = _("公示动态")

    def __str__(self) -> str:
        return f"{self.publication_id} {self.action}"


class Objection(PathScoped):
    """A resident's objection (异议) to a publication during its period. It
    is handled as a matter (说事 → 办事) linked back to the publication."""

    path_from = "publication"

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="objections")
    matter = models.OneToOneField("matters.Matter", on_delete=models.PROTECT, related_name="objection")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")

    def __str__(self) -> str:
        return f"{self.publication_id} → {self.matter_id}"
