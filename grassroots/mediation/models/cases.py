"""The one-stop dispute mediation centre (一站式矛盾纠纷调解中心): dispute
cases from the three sources (访源, 警源, 诉源) and elsewhere, their parties,
1+1+N teams (people's mediation committee + legal adviser + mediators),
sessions, agreements, judicial confirmation, follow-up visits, and the legal
advisers' consultations per grid (网格+法律顾问). Every scoped row copies its
node's path (ADR 0002); rows of a case copy the case's path."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.fields import BlindIndexField, EncryptedTextField
from grassroots.core.models import PathScoped, WorkflowEvent
from grassroots.regions.models import Node, Resident

from ..choices import DisputeType, Outcome, Referral, RiskLevel, Source
from ..states import State
from .teams import Committee

USER = settings.AUTH_USER_MODEL


class DisputeCase(PathScoped):
    path_from = "node"

    number = models.CharField(_("案号"), max_length=20, unique=True, editable=False)
    registered_on = models.DateField(_("登记日期"), db_index=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, db_index=True)
    source_reference = models.CharField(
        _("来源编号"), max_length=60, blank=True, help_text=_("接警单号、法院委派案号、信访件编号等。")
    )
    source_matter = models.OneToOneField(
        "matters.Matter",
        verbose_name=_("来源事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispute_case",
    )
    title = models.CharField(_("案由"), max_length=100)
    description = models.TextField(_("纠纷事实"), max_length=5000)
    dispute_type = models.CharField(_("纠纷类型"), max_length=20, choices=DisputeType.choices, db_index=True)
    node = models.ForeignKey(Node, verbose_name=_("发生地"), on_delete=models.PROTECT, related_name="dispute_cases")
    location = models.CharField(_("具体位置"), max_length=200, blank=True)
    amount = models.DecimalField(_("争议金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True)
    risk_level = models.CharField(_("风险等级"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW)
    escalation_risk = models.BooleanField(_("有激化风险"), default=False)
    risk_note = models.CharField(_("风险说明"), max_length=200, blank=True)

    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.REGISTERED, db_index=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.NONE, blank=True)
    decline_reason = models.TextField(_("不予受理理由"), blank=True)
    failure_reason = models.TextField(_("调解不成原因"), blank=True)
    referral = models.CharField(_("引导去向"), max_length=20, choices=Referral.choices, blank=True)
    referral_note = models.CharField(_("引导说明"), max_length=200, blank=True)
    close_summary = models.TextField(_("结案小结"), blank=True)

    committee = models.ForeignKey(
        Committee, verbose_name=_("调委会"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    legal_adviser = models.ForeignKey(
        USER, verbose_name=_("法律顾问"), null=True, blank=True, on_delete=models.PROTECT, related_name="advised_cases"
    )
    mediators: Any = models.ManyToManyField(USER, through="CaseMediator", related_name="mediated_cases", blank=True)

    # The mediation period (see services/workflow.py for how it is counted).
    period_days = models.PositiveSmallIntegerField(_("调解期限(日)"), null=True, blank=True)
    extended_days = models.PositiveSmallIntegerField(_("已延长(日)"), default=0)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    due_date = models.DateField(_("调解期限届满日"), null=True, blank=True, db_index=True)

    created_by = models.ForeignKey(
        USER, verbose_name=_("登记人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    concluded_at = models.DateTimeField(_("调解结束时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = _("矛盾纠纷案件")
        verbose_name_plural = _("矛盾纠纷案件")
        indexes = [
            models.Index(fields=["path", "state"], name="dispute_path_state"),
            models.Index(fields=["state", "due_date"], name="dispute_state_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0), name="dispute_amount_nonneg"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="declined") | (~models.Q(decline_reason="") & ~models.Q(referral="")),
                name="dispute_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="failed") | ~models.Q(referral=""), name="dispute_failed_has_referral"
            ),
            models.CheckConstraint(
                condition=models.Q(state="registered")
                | models.Q(state="declined")
                | models.Q(accepted_on__isnull=False),
                name="dispute_accepted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CaseMediator(models.Model):
    """A mediator on a case's team (the N of 1+1+N); one of them leads."""

    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(USER, verbose_name=_("调解员"), on_delete=models.PROTECT, related_name="+")
    lead = models.BooleanField(_("主调解员"), default=False)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-lead", "id"]
        verbose_name = _("案件调解员")
        verbose_name_plural = _("案件调解员")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="case_mediator_unique"),
            models.UniqueConstraint(fields=["case"], condition=models.Q(lead=True), name="case_mediator_one_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.user}"


class PartySide(models.TextChoices):
    APPLICANT = "applicant", _("申请方")
    RESPONDENT = "respondent", _("被申请方")
    THIRD = "third", _("第三人")


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class Party(PathScoped):
    """A party (当事人). ID numbers and phones are encrypted with blind indexes;
    the indexes and `name_key` find repeat disputes by the same people."""

    path_from = "case"

    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("当事方"), max_length=20, choices=PartySide.choices)
    kind = models.CharField(_("类型"), max_length=20, choices=PartyKind.choices, default=PartyKind.PERSON)
    name = models.CharField(_("姓名或名称"), max_length=100)
    name_key = models.CharField(max_length=100, db_index=True, editable=False)
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    id_number_index = BlindIndexField(source="id_number", purpose="mediation.party.id_number")
    phone = EncryptedTextField(_("联系电话"), blank=True)
    phone_index = BlindIndexField(source="phone", purpose="mediation.party.phone")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    representative = models.CharField(_("法定代表人或负责人"), max_length=50, blank=True)
    address = models.CharField(_("住址或单位地址"), max_length=200, blank=True)
    resident = models.ForeignKey(
        Resident, verbose_name=_("居民档案"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")

    def __str__(self) -> str:
        return self.name


class EventKind(models.TextChoices):
    CREATED = "created", _("登记")
    TRANSITION = "transition", _("状态变更")
    TEAM = "team", _("指派团队")
    PARTY = "party", _("添加当事人")
    SESSION = "session", _("调解")
    AGREEMENT = "agreement", _("调解协议")
    JUDICIAL = "judicial", _("司法确认")
    FOLLOW_UP = "follow_up", _("回访")
    EXTENDED = "extended", _("延长期限")
    NOTE = "note", _("备注")


class CaseEvent(WorkflowEvent):
    """Append-only timeline of a case."""

    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)

    append_only_message = "案件动态只允许追加,不能修改。"

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("案件动态")
        verbose_name_plural = _("案件动态")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    HELD = "held", _("已调解")
    CANCELLED = "cancelled", _("已取消")


class Session(PathScoped):
    """A mediation session (调解): scheduled, then held (with attendees and
    notes) or cancelled."""

    path_from = "case"

    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="sessions")
    scheduled_at = models.DateTimeField(_("调解时间"), db_index=True)
    place = models.CharField(_("调解地点"), max_length=100)
    status = models.CharField(_("状态"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    held_at = models.DateTimeField(_("实际调解时间"), null=True, blank=True)
    parties_present = models.ManyToManyField(Party, verbose_name=_("到场当事人"), blank=True, related_name="+")
    staff_present: Any = models.ManyToManyField(USER, verbose_name=_("到场调解人员"), blank=True, related_name="+")
    other_attendees = models.CharField(_("其他参加人"), max_length=200, blank=True)
    notes = models.TextField(_("调解记录"), max_length=5000, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheduled_at", "id"]
        verbose_name = _("调解安排")
        verbose_name_plural = _("调解安排")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="held") | ~models.Q(notes=""), name="session_held_has_notes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.scheduled_at:%Y-%m-%d %H:%M}"


class JudicialStatus(models.TextChoices):
    NOT_APPLIED = "not_applied", _("未申请")
    APPLIED = "applied", _("已申请")
    CONFIRMED = "confirmed", _("裁定确认有效")
    REJECTED = "rejected", _("裁定驳回")


class Agreement(PathScoped):
    """The mediation agreement (人民调解协议书, 《人民调解法》第28–29条) and
    its judicial confirmation (司法确认, 第33条)."""

    path_from = "case"

    case = models.OneToOneField(DisputeCase, on_delete=models.CASCADE, related_name="agreement")
    facts = models.TextField(_("纠纷主要事实、争议事项"), max_length=5000)
    terms = models.TextField(_("协议内容"), max_length=5000)
    performance_method = models.CharField(_("履行方式、地点"), max_length=300)
    performance_deadline = models.DateField(_("履行期限"), null=True, blank=True)
    signed_on = models.DateField(_("签订日期"))
    judicial_status = models.CharField(
        _("司法确认"), max_length=20, choices=JudicialStatus.choices, default=JudicialStatus.NOT_APPLIED
    )
    judicial_court = models.CharField(_("受理法院"), max_length=100, blank=True)
    judicial_applied_on = models.DateField(_("申请日期"), null=True, blank=True)
    judicial_decided_on = models.DateField(_("裁定日期"), null=True, blank=True)
    judicial_note = models.CharField(_("裁定说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(judicial_status="not_applied") | models.Q(judicial_applied_on__isnull=False),
                name="agreement_judicial_applied_on",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} 调解协议"


class FollowUpMethod(models.TextChoices):
    VISIT = "visit", _("上门回访")
    PHONE = "phone", _("电话回访")
    OTHER = "other", _("其他")


class Performance(models.TextChoices):
    PERFORMED = "performed", _("已履行")
    PARTIAL = "partial", _("部分履行")
    NOT_PERFORMED = "not_performed", _("未履行")
    NOT_DUE = "not_due", _("履行期未到")
    NOT_APPLICABLE = "not_applicable", _("无协议(了解后续情况)")


class FollowUp(PathScoped):
    """A follow-up visit (回访): was the agreement performed?"""

    path_from = "case"

    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField(_("回访日期"))
    method = models.CharField(_("回访方式"), max_length=10, choices=FollowUpMethod.choices)
    performance = models.CharField(_("履行情况"), max_length=20, choices=Performance.choices)
    note = models.TextField(_("回访情况"), max_length=2000)
    created_by = models.ForeignKey(USER, verbose_name=_("回访人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["visited_on", "id"]
        verbose_name = _("回访")
        verbose_name_plural = _("回访")

    def __str__(self) -> str:
        return f"{self.case_id} {self.visited_on}"
