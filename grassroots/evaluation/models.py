"""评事: monthly appraisal sessions and their anonymous ballots (ADR 0014).

What links a ballot to a person is deliberately absent: `Ballot` has a
random UUID key, a random tracker, the session and the choices, and nothing
else (no user, IP, user agent, time or sequence). `BallotCode` keeps only a
keyed hash of each one-time code and its state, with no times either."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.models import PathScoped, WorkflowEvent
from grassroots.regions.models import Node, Representative

from .states import State


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class AppraisalSession(PathScoped):
    path_from = "village"

    village = models.ForeignKey(Node, verbose_name=_("村/社区"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"), help_text=_("被评议的月份(该月 1 日)"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Slips: a batch number grows when slips are reissued before any vote.
    slips_batch = models.PositiveSmallIntegerField(default=0)
    slips_issued_at = models.DateTimeField(null=True, blank=True)
    # Entered at close; reconciliation and the board are computed then.
    attendance = models.PositiveIntegerField(_("到会人数"), null=True, blank=True)
    reconciliation = models.JSONField(default=dict, blank=True)
    head_hash = models.CharField(_("链头哈希"), max_length=64, blank=True)

    class Meta:
        ordering = ["-month", "path"]
        verbose_name = _("月度评议")
        verbose_name_plural = _("月度评议")
        constraints = [
            models.UniqueConstraint(fields=["village", "month"], name="appraisal_session_unique_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="appraisal_session_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.village.label}{self.month:%Y年%m月}评议"


class SessionEvent(WorkflowEvent):
    """Append-only record of a session's state changes (frozen, closed with
    the board's head hash) and who made them."""

    session = models.ForeignKey(AppraisalSession, on_delete=models.CASCADE, related_name="events")

    append_only_message = "评议动态只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("评议动态")
        verbose_name_plural = _("评议动态")

    def __str__(self) -> str:
        return f"{self.session_id} {self.action}"


class ItemKind(models.TextChoices):
    STAFF = "staff", _("工作人员")
    MATTER = "matter", _("集体事项")


class AppraisalItem(models.Model):
    session = models.ForeignKey(AppraisalSession, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("类别"), max_length=10, choices=ItemKind.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    matter = models.ForeignKey("matters.Matter", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A snapshot of the name shown on the ballot, so a later rename does not
    # change what was voted on.
    label = models.CharField(_("名称"), max_length=150)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = _("评议对象")
        verbose_name_plural = _("评议对象")
        constraints = [
            models.UniqueConstraint(fields=["session", "staff"], name="appraisal_item_unique_staff"),
            models.UniqueConstraint(fields=["session", "matter"], name="appraisal_item_unique_matter"),
            models.CheckConstraint(
                condition=(models.Q(kind="staff", staff__isnull=False, matter__isnull=True))
                | (models.Q(kind="matter", matter__isnull=False, staff__isnull=True)),
                name="appraisal_item_kind_target",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class RosterEntry(models.Model):
    session = models.ForeignKey(AppraisalSession, on_delete=models.CASCADE, related_name="roster")
    representative = models.ForeignKey(Representative, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("参评代表")
        verbose_name_plural = _("参评代表")
        constraints = [
            models.UniqueConstraint(fields=["session", "representative"], name="roster_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.representative_id}"


class CodeState(models.TextChoices):
    UNUSED = "unused", _("未使用")
    USED = "used", _("已投票")
    VOID = "void", _("已作废")
    MISSING = "missing", _("未交回")


class BallotCode(models.Model):
    """A one-time code, as a keyed hash only (HMAC-SHA256). No serial number,
    no times: the row says nothing about who drew the slip or when it was used."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(AppraisalSession, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    batch = models.PositiveSmallIntegerField(default=1)
    state = models.CharField(max_length=10, choices=CodeState.choices, default=CodeState.UNUSED)

    class Meta:
        verbose_name = _("投票码")
        verbose_name_plural = _("投票码")

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.code_hash[:8]}"


class Ballot(models.Model):
    """One cast ballot. Deliberately nothing but a random key, the session, a
    random tracker and the choices (see ADR 0014; a test pins the columns)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(AppraisalSession, on_delete=models.PROTECT, related_name="ballots")
    tracker = models.CharField(max_length=16)
    # {"<item id>": "satisfied" | "basic" | "unsatisfied"}; an item left out was not rated.
    choices = models.JSONField(default=dict)
    # Filled at close: this entry's link in the board's hash chain.
    chain_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["tracker"]
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        constraints = [
            models.UniqueConstraint(fields=["session", "tracker"], name="ballot_unique_tracker"),
        ]

    def __str__(self) -> str:
        return self.tracker


class PaperTally(models.Model):
    """Paper-ballot fallback: one staff member's independent count. Two sheets
    by different staff must match before the paper result counts."""

    session = models.ForeignKey(AppraisalSession, on_delete=models.CASCADE, related_name="paper_tallies")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # {"<item id>": {"satisfied": n, "basic": n, "unsatisfied": n}}
    counts = models.JSONField(default=dict)
    ballots = models.PositiveIntegerField(_("纸质票数"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("纸质计票")
        verbose_name_plural = _("纸质计票")
        constraints = [
            models.UniqueConstraint(fields=["session", "entered_by"], name="paper_tally_unique_person"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}:{self.entered_by_id}"


class PaperTallyEdit(models.Model):
    """Append-only log of corrections to a paper tally."""

    tally = models.ForeignKey(PaperTally, on_delete=models.CASCADE, related_name="edits")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    reason = models.CharField(_("更正原因"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("计票更正记录")
        verbose_name_plural = _("计票更正记录")

    def __str__(self) -> str:
        return self.reason


class RankingRule(PathScoped):
    """How a subdistrict draws its red/yellow list (评事考评排行) from the monthly
    appraisals: over the last `months` closed months, staff whose average
    satisfaction is at least `red_min` go on the red list (表扬), those below
    `yellow_below` (or with `unsatisfied_share_max` or more 不满意 votes in
    any one month) on the yellow list (督促). Staff need results (at least
    the anonymity threshold of ballots) in `min_months` of those months to be
    ranked at all. Percentages are whole numbers."""

    path_from = "subdistrict"

    subdistrict = models.OneToOneField(
        Node, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="ranking_rule"
    )
    months = models.PositiveSmallIntegerField(_("统计月数"), default=3)
    min_months = models.PositiveSmallIntegerField(_("至少有结果的月数"), default=2)
    red_min = models.PositiveSmallIntegerField(_("表扬名单满意度不低于(%)"), default=90)
    yellow_below = models.PositiveSmallIntegerField(_("督促名单满意度低于(%)"), default=70)
    unsatisfied_share_max = models.PositiveSmallIntegerField(_("单月不满意票占比达到(%)即上督促名单"), default=30)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("评事考评排行规则")
        verbose_name_plural = _("评事考评排行规则")
        constraints = [
            models.CheckConstraint(condition=models.Q(months__gte=1, months__lte=12), name="ranking_rule_months_range"),
            models.CheckConstraint(
                condition=models.Q(min_months__gte=1, min_months__lte=models.F("months")),
                name="ranking_rule_min_months_range",
            ),
            models.CheckConstraint(
                condition=models.Q(red_min__lte=100, yellow_below__lte=models.F("red_min")),
                name="ranking_rule_thresholds_order",
            ),
            models.CheckConstraint(
                condition=models.Q(unsatisfied_share_max__gte=1, unsatisfied_share_max__lte=100),
                name="ranking_rule_unsatisfied_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subdistrict.label}评事考评排行规则"
