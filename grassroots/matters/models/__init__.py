"""说事 and 办事: matters raised by residents and staff, anchored at a node of the tree, handled to the end.
Every row that can be scoped copies its node's path (ADR 0002); the dashboards' rollup is in rollup.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.fields import BlindIndexField, EncryptedTextField
from grassroots.core.models import PathScoped, WorkflowEvent
from grassroots.regions.models import Household, Node, Resident

from .rollup import ANY_DUE_DATE, NO_DUE_DATE, MatterDay, MatterSnapshotDay, MatterTally  # noqa: F401 - rollup (ADR 0047)


class State(models.TextChoices):
    REPORTED = "reported", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
    MERGED = "merged", _("已合并")
    HANDLING = "handling", _("办理中")
    DELIBERATING = "deliberating", _("议事中")
    RESOLVED = "resolved", _("已办结")
    CLOSED = "closed", _("已关闭")


# The states in which a matter is still being worked on.
OPEN_STATES = frozenset({State.REPORTED, State.ACCEPTED, State.HANDLING, State.DELIBERATING})


class UnitKind(models.TextChoices):
    GRID = "grid", _("网格")
    VILLAGE = "village", _("村/社区")
    SUBDISTRICT = "subdistrict", _("街道职能部门")


class ResponsibleUnit(PathScoped):
    """Who handles a matter: a grid, a village/community committee, or a
    subdistrict department (城管办, 安监站 …). `node` is where it works; a
    department's node is the subdistrict."""

    path_from = "node"

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    code = models.SlugField(_("代码"), max_length=40, blank=True, help_text=_("街道部门的固定代码,如 urban、safety。"))
    node = models.ForeignKey(
        Node, verbose_name=_("所在辖区"), on_delete=models.PROTECT, related_name="responsible_units"
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["path", "name"]
        verbose_name = _("责任单位")
        verbose_name_plural = _("责任单位")
        constraints = [
            models.UniqueConstraint(fields=["node", "name"], name="responsible_unit_unique_name"),
            models.UniqueConstraint(
                fields=["node", "code"], condition=~models.Q(code=""), name="responsible_unit_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """Two levels. A second-level category carries the responsible unit type
    and the handling deadline in working days; a first-level one groups."""

    parent = models.ForeignKey(
        "self", verbose_name=_("上级分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.SlugField(_("代码"), max_length=40, unique=True, help_text=_("Open311 service_code。"))
    name = models.CharField(_("名称"), max_length=50)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    unit_kind = models.CharField(_("责任单位类型"), max_length=20, choices=UnitKind.choices, default=UnitKind.VILLAGE)
    department_code = models.SlugField(
        _("街道部门代码"), max_length=40, blank=True, help_text=_("责任单位类型为街道职能部门时,默认交给哪个部门。")
    )
    deadline_days = models.PositiveSmallIntegerField(_("办理时限(工作日)"), default=5)
    sort_order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("启用"), default=True)
    # Private or sensitive subjects (disputes, family, disability, assistance,
    # health): matters in such a category, or under such a first-level one,
    # never appear on a public list or feed, whatever the reporter agreed to (ADR 0018).
    sensitive = models.BooleanField(
        _("涉及隐私,不公开"),
        default=False,
        help_text=_("该分类(含下级分类)的事项不在 Open311 列表等任何公开渠道出现,即使反映人同意公开。"),
    )

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("事项分类")
        verbose_name_plural = _("事项分类")
        constraints = [
            models.CheckConstraint(condition=models.Q(deadline_days__gte=1), name="category_deadline_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id and self.parent else self.name

    @property
    def is_sensitive(self) -> bool:
        """Sensitive itself or under a sensitive first-level category."""
        return self.sensitive or bool(self.parent_id and self.parent and self.parent.sensitive)


class Channel(models.TextChoices):
    WEB = "web", _("群众网上说事")
    WECHAT = "wechat", _("微信群转办")
    WECHAT_MP = "wechat_mp", _("微信公众号")  # the official account's callback (ADR 0051)
    VISIT = "visit", _("网格员入户走访")
    HOTLINE = "hotline", _("热线电话")
    WALK_IN = "walk_in", _("来访")
    OPEN311 = "open311", _("Open311 接口")
    OBJECTION = "objection", _("公示异议")
    LINKED = "linked", _("工作发现")  # opened from work above matters (a safety hazard, ADR 0039)


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class Matter(PathScoped):
    path_from = "node"

    number = models.CharField(_("编号"), max_length=20, unique=True, editable=False)
    tracking_code = models.CharField(_("查询码"), max_length=12, unique=True, editable=False)
    node = models.ForeignKey(Node, verbose_name=_("发生地点"), on_delete=models.PROTECT, related_name="matters")
    # The verified standard address the matter is about, when one was picked
    # (addresses app; a string reference, ADR 0037).
    address = models.ForeignKey(
        "addresses.Address",
        verbose_name=_("标准地址"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matters",
    )
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("内容"), max_length=5000)
    location = models.CharField(_("具体位置"), max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    channel_detail = models.JSONField(_("渠道信息"), default=dict, blank=True)
    # Reporter: a resident record, or a name and phone; anonymous keeps the phone for updates only.
    reporter_resident = models.ForeignKey(
        Resident, verbose_name=_("反映人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="matters"
    )
    reporter_name = models.CharField(_("反映人姓名"), max_length=50, blank=True)
    reporter_phone = EncryptedTextField(_("反映人手机号"), blank=True)
    reporter_phone_index = BlindIndexField(source="reporter_phone", purpose="matter.reporter_phone")
    anonymous = models.BooleanField(_("匿名"), default=False)
    # The reporter agreed that the text (scrubbed of phone and ID numbers) may
    # be listed publicly with a coarse place and no reporter (ADR 0018). Off
    # unless the reporter ticked it: consent is never presumed.
    public_consent = models.BooleanField(_("同意公开反映内容"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("录入人"),
    )
    visit = models.ForeignKey(
        "Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="matters", verbose_name=_("走访记录")
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # SHA-256 of the first submission under idempotency_key: a retry must match it (ADR 0029).
    idempotency_fingerprint = models.CharField(max_length=64, blank=True, default="", editable=False)

    category = models.ForeignKey(
        Category, verbose_name=_("分类"), null=True, blank=True, on_delete=models.PROTECT, related_name="matters"
    )
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    touches_collective = models.BooleanField(_("涉及集体利益"), default=False)
    responsible_unit = models.ForeignKey(
        ResponsibleUnit,
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_matters",
    )
    due_date = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("期限依据暂定节假日"), default=False)
    deadline_days = models.PositiveSmallIntegerField(_("时限(工作日)"), null=True, blank=True)

    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.REPORTED, db_index=True)
    handling_plan = models.TextField(_("办理方案"), blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    rejection_reason = models.TextField(_("不予受理理由"), blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("合并至"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged_matters"
    )
    escalation_level = models.PositiveSmallIntegerField(_("升级次数"), default=0)
    escalated_to = models.ForeignKey(
        Node, verbose_name=_("升级至"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The local date of the last escalation: the daily job escalates a matter
    # at most once a day, with a conditional update on this column.
    escalated_on = models.DateField(_("最近升级日期"), null=True, blank=True)
    # Incremented at every resolution; a reporter rates each round once.
    resolution_round = models.PositiveSmallIntegerField(_("办结轮次"), default=0)
    for_deliberation = models.BooleanField(_("需提交议事"), default=False)
    joint_meeting_requested_at = models.DateTimeField(_("列入联席会议时间"), null=True, blank=True)
    joint_meeting_reason = models.CharField(_("列入联席会议理由"), max_length=200, blank=True)

    created_at = models.DateTimeField(_("反映时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("事项")
        verbose_name_plural = _("事项")
        indexes = [
            models.Index(fields=["path", "state"], name="matter_path_state"),
            models.Index(fields=["state", "due_date"], name="matter_state_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="merged") | models.Q(merged_into__isnull=False),
                name="matter_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="rejected") | ~models.Q(rejection_reason=""),
                name="matter_rejected_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class EventKind(models.TextChoices):
    CREATED = "created", _("反映")
    TRANSITION = "transition", _("状态变更")
    NOTE = "note", _("内部备注")
    REPLY = "reply", _("公开答复")
    REASSIGNED = "reassigned", _("改派")
    ESCALATED = "escalated", _("升级督办")
    JOINT_MEETING = "joint_meeting", _("列入联席会议")
    ATTACHMENT = "attachment", _("上传附件")
    PUBLISHED = "published", _("公示")
    FEEDBACK = "feedback", _("评价")
    REOPEN_REQUESTED = "reopen_requested", _("申请重新办理")
    REOPEN_ANSWERED = "reopen_answered", _("答复重新办理申请")
    MERGED_IN = "merged_in", _("并入事项")
    CONSENT = "consent", _("公开意愿")
    # Progress of linked work (a hazard lead, ADR 0039), told by its provider.
    LINKED = "linked", _("关联工作进展")


class MatterEvent(WorkflowEvent):
    """Append-only timeline. `public` events are shown to the reporter."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor_label = models.CharField(max_length=50, blank=True, help_text=_("无账号的操作者,如“反映人”“系统”。"))
    public = models.BooleanField(default=False)

    append_only_message = "事项动态只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("事项动态")
        verbose_name_plural = _("事项动态")

    def __str__(self) -> str:
        return f"{self.matter_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"matters/{instance.matter_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(MatterEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    public = models.BooleanField(_("公开"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Feedback(models.Model):
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="feedback")
    # The matter's resolution_round this rating is about: one rating per round.
    round = models.PositiveSmallIntegerField(_("办结轮次"), default=1)
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices)
    comment = models.TextField(_("意见"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("群众评价")
        verbose_name_plural = _("群众评价")
        constraints = [
            models.UniqueConstraint(fields=["matter", "round"], name="feedback_one_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.get_rating_display()}"


class ReopenRequest(PathScoped):
    path_from = "matter"

    class Status(models.TextChoices):
        OPEN = "open", _("待答复")
        GRANTED = "granted", _("同意重新办理")
        DECLINED = "declined", _("不同意")

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="reopen_requests")
    feedback = models.OneToOneField(
        Feedback, null=True, blank=True, on_delete=models.SET_NULL, related_name="reopen_request"
    )
    reason = models.TextField(_("理由"), max_length=1000)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("重新办理申请")
        verbose_name_plural = _("重新办理申请")
        constraints = [
            models.UniqueConstraint(
                fields=["matter"], condition=models.Q(status="open"), name="reopen_request_one_open_per_matter"
            ),
            models.CheckConstraint(
                condition=models.Q(status="open") | ~models.Q(answer=""), name="reopen_request_answer_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.get_status_display()}"


class Visit(PathScoped):
    """A grid worker's door-to-door visit (入户走访); it can record zero or more matters."""

    path_from = "household"

    household = models.ForeignKey(Household, verbose_name=_("走访户"), on_delete=models.PROTECT, related_name="visits")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_at = models.DateTimeField(_("走访时间"))
    notes = models.TextField(_("走访情况"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_at", "-id"]
        verbose_name = _("入户走访")
        verbose_name_plural = _("入户走访")

    def __str__(self) -> str:
        return f"{self.household} {self.visited_at:%Y-%m-%d}"
