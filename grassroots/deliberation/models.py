"""议事: rules of procedure (versioned), meetings with agendas, invitations and
attendance, resolutions with tally corrections, residents' topic proposals
and the weekly choice of two key villages for the joint meeting. Every
scoped row copies its node's path (ADR 0002)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.fields import EncryptedTextField
from grassroots.core.models import PathScoped, WorkflowEvent
from grassroots.matters.models import Matter, ResponsibleUnit
from grassroots.regions.models import Node, Representative

from .rules import Proposers, Threshold, VoteMethod
from .states import ProposalStatus, State


class RuleSet(PathScoped):
    """One version of a village's (or the subdistrict's) rules of procedure
    (议事规则). Versions are never edited once published; a meeting keeps the
    version in force when it was convened."""

    path_from = "node"

    node = models.ForeignKey(Node, verbose_name=_("适用辖区"), on_delete=models.PROTECT, related_name="rule_sets")
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=100)
    proposers = models.CharField(_("议题提出"), max_length=20, choices=Proposers.choices)
    quorum_numerator = models.PositiveSmallIntegerField(_("法定人数(分子)"))
    quorum_denominator = models.PositiveSmallIntegerField(_("法定人数(分母)"))
    threshold = models.CharField(_("通过标准"), max_length=24, choices=Threshold.choices)
    vote_method = models.CharField(_("表决方式"), max_length=12, choices=VoteMethod.choices)
    text = models.TextField(_("规则全文"), blank=True)
    effective_from = models.DateField(_("施行日期"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("议事规则")
        verbose_name_plural = _("议事规则")
        ordering = ["path", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["node", "version"], name="ruleset_unique_version"),
            models.CheckConstraint(
                condition=models.Q(quorum_numerator__gte=1, quorum_denominator__gte=1)
                & models.Q(quorum_numerator__lte=models.F("quorum_denominator")),
                name="ruleset_quorum_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}(第{self.version}版)"

    @property
    def quorum_label(self) -> str:
        return f"{self.quorum_numerator}/{self.quorum_denominator}"


class Kind(models.TextChoices):
    CONSULTATION = "consultation", _("协商议事会")
    TALK_DAY = "talk_day", _("民情恳谈日")
    JOINT = "joint", _("党政联席会议")


class WeeklySelection(PathScoped):
    """The week's two key villages for the joint meeting (办事): proposed by the
    system with a score breakdown, confirmed or changed by staff."""

    path_from = "subdistrict"

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("系统建议")
        CONFIRMED = "confirmed", _("已确定")

    subdistrict = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="weekly_selections")
    week_start = models.DateField(_("周一日期"))
    ranking = models.JSONField(_("评分明细"), default=list)
    proposed: models.ManyToManyField[Node, Any] = models.ManyToManyField(
        Node, related_name="+", verbose_name=_("建议村(社区)")
    )
    chosen: models.ManyToManyField[Node, Any] = models.ManyToManyField(
        Node, related_name="chosen_weeks", verbose_name=_("确定村(社区)"), blank=True
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("调整说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("每周重点村选择")
        verbose_name_plural = _("每周重点村选择")
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["subdistrict", "week_start"], name="weekly_selection_unique_week")
        ]

    def __str__(self) -> str:
        return f"{self.week_start:%Y-%m-%d} 重点村"


class Meeting(PathScoped):
    path_from = "node"

    kind = models.CharField(_("会议类型"), max_length=20, choices=Kind.choices)
    node = models.ForeignKey(Node, verbose_name=_("召集单位"), on_delete=models.PROTECT, related_name="meetings")
    # A joint meeting is convened by the subdistrict and held in a key village.
    host_village = models.ForeignKey(
        Node, verbose_name=_("举办村(社区)"), on_delete=models.PROTECT, related_name="hosted_meetings"
    )
    selection = models.ForeignKey(
        WeeklySelection, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    rules = models.ForeignKey(
        RuleSet, verbose_name=_("适用议事规则"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("会议名称"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    place = models.CharField(_("地点"), max_length=100)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.SCHEDULED, db_index=True)
    # 应到人数: fixed when the meeting opens; quorum is judged against it.
    expected_count = models.PositiveIntegerField(_("应到人数"), null=True, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    # Why the meeting was last adjourned or cancelled (the audit log keeps each time).
    state_reason = models.CharField(_("休会或取消原因"), max_length=200, blank=True)
    convened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("议事会议")
        verbose_name_plural = _("议事会议")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["path", "starts_at"], name="meeting_path_starts")]

    def __str__(self) -> str:
        return self.title


class MeetingEvent(WorkflowEvent):
    """Append-only record of a meeting's state changes (opened, adjourned
    with the reason, resumed, closed, cancelled) and who made them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")

    append_only_message = "会议动态只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("会议动态")
        verbose_name_plural = _("会议动态")

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.action}"


class Invitation(PathScoped):
    """One invitee of a meeting: a resident representative (village meetings,
    and optionally joint meetings) or a staff member (joint meetings invite
    department heads and the key village's leaders). A representative's
    personal link carries a random token; only its SHA-256 is stored. Staff
    sign in and have no token."""

    path_from = "meeting"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    representative = models.ForeignKey(
        Representative, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    invited_at = models.DateTimeField(auto_now_add=True)
    present = models.BooleanField(_("已签到"), default=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("参会邀请")
        verbose_name_plural = _("参会邀请")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "representative"], name="invitation_unique_representative"),
            models.UniqueConstraint(
                fields=["meeting", "staff"], condition=models.Q(staff__isnull=False), name="invitation_unique_staff"
            ),
            models.CheckConstraint(
                condition=models.Q(representative__isnull=False, staff__isnull=True)
                | models.Q(representative__isnull=True, staff__isnull=False),
                name="invitation_one_invitee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.name}"

    @property
    def name(self) -> str:
        if self.representative_id is not None and self.representative is not None:
            return self.representative.resident.name
        return str(self.staff)

    @property
    def role_label(self) -> str:
        """群众代表, or the staff member's role and place (街道工作人员 · 湖田街道)."""
        if self.staff is None:
            return "群众代表"
        place = self.staff.jurisdiction.label if self.staff.jurisdiction is not None else ""
        role = self.staff.get_role_display()
        return f"{role} · {place}" if place else role


class TopicProposal(PathScoped):
    """A topic (议题) proposed by a resident on the public site or by a
    representative through their personal link; staff moderate it."""

    path_from = "village"

    Status = ProposalStatus  # the moderation table is in states.py

    village = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="topic_proposals")
    title = models.CharField(_("议题"), max_length=100)
    description = models.TextField(_("内容"), max_length=2000)
    proposer_name = models.CharField(_("提出人"), max_length=50)
    proposer_phone = EncryptedTextField(_("联系电话"), blank=True)
    representative = models.ForeignKey(
        Representative, null=True, blank=True, on_delete=models.PROTECT, related_name="topic_proposals"
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("议题建议")
        verbose_name_plural = _("议题建议")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(PathScoped):
    path_from = "meeting"

    class Source(models.TextChoices):
        MATTER = "matter", _("事项")
        PROPOSAL = "proposal", _("居民提议")
        JOINT_LIST = "joint_list", _("联席会议清单")
        STAFF = "staff", _("工作人员提出")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=200)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    matter = models.ForeignKey(Matter, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items")
    proposal = models.ForeignKey(
        TopicProposal, null=True, blank=True, on_delete=models.PROTECT, related_name="agenda_items"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_unique_position"),
            models.UniqueConstraint(
                fields=["meeting", "matter"], condition=models.Q(matter__isnull=False), name="agenda_unique_matter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Resolution(PathScoped):
    """The decision on one agenda item and its vote, judged against the
    meeting's rule version. `present` is the head count at the vote."""

    path_from = "item"

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="resolution")
    decision = models.TextField(_("决议内容"))
    votes_for = models.PositiveIntegerField(_("赞成"))
    votes_against = models.PositiveIntegerField(_("反对"))
    votes_abstain = models.PositiveIntegerField(_("弃权"))
    present = models.PositiveIntegerField(_("到会人数"))
    passed = models.BooleanField(_("通过"))
    responsible_unit = models.ForeignKey(
        ResponsibleUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("办理期限"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("决议")
        verbose_name_plural = _("决议")
        ordering = ["item__meeting", "item__position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    present__gte=models.F("votes_for") + models.F("votes_against") + models.F("votes_abstain")
                ),
                name="resolution_votes_within_present",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} 决议"


class Choice(models.TextChoices):
    FOR = "for", _("赞成")
    AGAINST = "against", _("反对")
    ABSTAIN = "abstain", _("弃权")


class RollCallVote(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="roll_call")
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("表决意见"), max_length=8, choices=Choice.choices)

    class Meta:
        verbose_name = _("唱名表决")
        verbose_name_plural = _("唱名表决")
        constraints = [models.UniqueConstraint(fields=["resolution", "invitation"], name="roll_call_one_vote_each")]

    def __str__(self) -> str:
        return f"{self.invitation} {self.get_choice_display()}"


class TallyCorrection(models.Model):
    """Append-only edit log of a recorded tally (CONSUL-style)."""

    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="corrections")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("更正原因"), max_length=200)
    old = models.JSONField(_("原值"))
    new = models.JSONField(_("新值"))

    class Meta:
        verbose_name = _("计票更正")
        verbose_name_plural = _("计票更正")
        ordering = ["resolution", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.resolution} 更正"
