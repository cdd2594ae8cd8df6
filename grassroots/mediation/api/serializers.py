"""Serializers of the mediation API. Personal data is always masked; only the
audited reveal endpoint returns full values."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.accounts.models import User
from grassroots.core.api.fields import IdField
from grassroots.core.masking import mask_id_number, mask_phone
from grassroots.regions.models import Node, Resident

from ..from_matters import case_matter_facts
from ..models import (
    Agreement,
    CaseEvent,
    Committee,
    DisputeCase,
    DisputeType,
    FollowUp,
    FollowUpMethod,
    Party,
    PartyKind,
    PartySide,
    Performance,
    Referral,
    RiskLevel,
    Session,
    Source,
)
from ..permissions import case_actions
from ..selectors import due_status
from .serializers_referrals import MediationMatterFactsSerializer

REQUIRED = {"required": "此项为必填项。", "blank": "此项不能为空。", "null": "此项不能为空。"}


def text_field(max_length: int, *, required: bool = True, help_text: str = "") -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length,
        required=required,
        allow_blank=not required,
        default="" if not required else serializers.empty,
        help_text=help_text,
        error_messages=REQUIRED,
    )


class MediationUserRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "role"]


class MediationDueSerializer(serializers.Serializer):
    level = serializers.CharField(help_text="overdue 已超期;soon 即将到期;ok 期限内;空:不在调解期限内")
    days_left = serializers.IntegerField(allow_null=True, help_text="距期限届满的日数(负数为已超期)")
    label = serializers.CharField()


class MediationPartySerializer(serializers.ModelSerializer):
    side_display = serializers.CharField(source="get_side_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    id_number = serializers.SerializerMethodField(help_text="脱敏身份证号")
    phone = serializers.SerializerMethodField(help_text="脱敏联系电话")

    class Meta:
        model = Party
        fields = [
            "id",
            "side",
            "side_display",
            "kind",
            "kind_display",
            "name",
            "id_number",
            "phone",
            "credit_code",
            "representative",
            "address",
        ]

    def get_id_number(self, party: Party) -> str:
        return mask_id_number(party.id_number)

    def get_phone(self, party: Party) -> str:
        return mask_phone(party.phone)


class MediationPartyInputSerializer(serializers.Serializer):
    side = serializers.ChoiceField(
        choices=PartySide.choices, help_text="applicant 申请方;respondent 被申请方;third 第三人"
    )
    kind = serializers.ChoiceField(choices=PartyKind.choices, default=PartyKind.PERSON)
    name = text_field(100, required=False, help_text="姓名或名称;关联居民档案时可省略")
    id_number = text_field(18, required=False, help_text="自然人身份证号(加密保存)")
    phone = text_field(20, required=False, help_text="手机号或带区号的固定电话(加密保存)")
    address = text_field(200, required=False)
    credit_code = text_field(18, required=False, help_text="组织的统一社会信用代码")
    representative = text_field(50, required=False, help_text="组织的法定代表人或负责人")
    resident = serializers.PrimaryKeyRelatedField(
        queryset=Resident.objects.all(), required=False, allow_null=True, help_text="居民档案编号(可选)"
    )


class MediationCaseListSerializer(serializers.ModelSerializer):
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    dispute_type_display = serializers.CharField(source="get_dispute_type_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    node_label = serializers.CharField(source="node.label", read_only=True)
    due = serializers.SerializerMethodField()

    class Meta:
        model = DisputeCase
        fields = [
            "id",
            "number",
            "registered_on",
            "source",
            "source_display",
            "source_reference",
            "title",
            "dispute_type",
            "dispute_type_display",
            "node",
            "node_label",
            "amount",
            "risk_level",
            "escalation_risk",
            "state",
            "state_display",
            "outcome",
            "accepted_on",
            "due_date",
            "due",
        ]

    @extend_schema_field(MediationDueSerializer)
    def get_due(self, case: DisputeCase) -> dict[str, Any]:
        status = due_status(case)
        return {"level": status.level, "days_left": status.days_left, "label": status.label}


class MediationAgreementSerializer(serializers.ModelSerializer):
    judicial_status_display = serializers.CharField(source="get_judicial_status_display", read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "facts",
            "terms",
            "performance_method",
            "performance_deadline",
            "signed_on",
            "judicial_status",
            "judicial_status_display",
            "judicial_court",
            "judicial_applied_on",
            "judicial_decided_on",
            "judicial_note",
        ]


class MediationSessionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    parties_present = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    staff_present = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "scheduled_at",
            "place",
            "status",
            "status_display",
            "held_at",
            "parties_present",
            "staff_present",
            "other_attendees",
            "notes",
            "cancel_reason",
        ]


class MediationFollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "visited_on", "method", "performance", "note", "created_by"]


class MediationEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    actor = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "kind_display", "action", "from_state", "to_state", "actor", "text", "created_at"]


class MediationTeamMemberSerializer(serializers.Serializer):
    user = MediationUserRefSerializer()
    lead = serializers.BooleanField()


class MediationCaseDetailSerializer(MediationCaseListSerializer):
    parties = MediationPartySerializer(many=True, read_only=True)
    committee = serializers.StringRelatedField(allow_null=True)
    committee_id = serializers.IntegerField(read_only=True, allow_null=True)
    legal_adviser = MediationUserRefSerializer(read_only=True, allow_null=True)
    mediators = MediationTeamMemberSerializer(source="team_members", many=True, read_only=True)
    agreement = serializers.SerializerMethodField()
    sessions = MediationSessionSerializer(many=True, read_only=True)
    follow_ups = MediationFollowUpSerializer(many=True, read_only=True)
    events = MediationEventSerializer(many=True, read_only=True)
    referral_display = serializers.CharField(source="get_referral_display", read_only=True)
    actions = serializers.SerializerMethodField(help_text="当前用户现在可执行的操作")
    source_matter = serializers.PrimaryKeyRelatedField(read_only=True)
    matter_facts = serializers.SerializerMethodField(help_text="原事项情况(由事项转入或转介的案件)")

    class Meta(MediationCaseListSerializer.Meta):
        fields = [
            *MediationCaseListSerializer.Meta.fields,
            "description",
            "location",
            "risk_note",
            "source_matter",
            "matter_facts",
            "period_days",
            "extended_days",
            "decline_reason",
            "failure_reason",
            "referral",
            "referral_display",
            "referral_note",
            "close_summary",
            "committee",
            "committee_id",
            "legal_adviser",
            "mediators",
            "parties",
            "agreement",
            "sessions",
            "follow_ups",
            "events",
            "actions",
        ]

    @extend_schema_field(MediationAgreementSerializer(allow_null=True))
    def get_agreement(self, case: DisputeCase) -> dict[str, Any] | None:
        agreement = getattr(case, "agreement", None) if case.outcome == "agreed" else None
        return MediationAgreementSerializer(agreement).data if agreement is not None else None

    @extend_schema_field(MediationMatterFactsSerializer(allow_null=True))
    def get_matter_facts(self, case: DisputeCase) -> dict[str, Any] | None:
        facts = case_matter_facts(case=case)
        return MediationMatterFactsSerializer(facts).data if facts is not None else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, case: DisputeCase) -> list[str]:
        request = self.context.get("request")
        return case_actions(user=request.user, case=case) if request is not None else []


class MediationCaseCreateSerializer(serializers.Serializer):
    source = serializers.ChoiceField(
        choices=Source.choices,
        help_text="petition 访源;police 警源;court 诉源;walk_in 当事人申请(matter 不可用:群众事项请用 from-matter)",
    )
    source_reference = text_field(60, required=False, help_text="接警单号、法院委派案号、信访件编号")
    title = text_field(100)
    description = text_field(5000)
    dispute_type = serializers.ChoiceField(choices=DisputeType.choices)
    node = serializers.PrimaryKeyRelatedField(queryset=Node.objects.all(), help_text="发生地节点(村/社区或以下)")
    location = text_field(200, required=False)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, default=RiskLevel.LOW)
    escalation_risk = serializers.BooleanField(default=False)
    risk_note = text_field(200, required=False)
    parties = MediationPartyInputSerializer(many=True, help_text="至少一位申请方和一位被申请方")


class MediationFromMatterSerializer(serializers.Serializer):
    matter = IdField(help_text="事项编号(id)")
    dispute_type = serializers.ChoiceField(choices=DisputeType.choices, default=DisputeType.OTHER)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, default=RiskLevel.LOW)
    escalation_risk = serializers.BooleanField(default=False)


class MediationEmptySerializer(serializers.Serializer):
    pass


class MediationDeclineSerializer(serializers.Serializer):
    reason = text_field(2000)
    referral = serializers.ChoiceField(choices=Referral.choices)
    referral_note = text_field(200, required=False)


class MediationFailSerializer(serializers.Serializer):
    reason = text_field(2000)
    referral = serializers.ChoiceField(
        choices=Referral.choices, help_text="只能为 court 诉讼、arbitration 仲裁或 petition 信访渠道"
    )
    referral_note = text_field(200, required=False)


class MediationAgreeSerializer(serializers.Serializer):
    facts = text_field(5000)
    terms = text_field(5000)
    performance_method = text_field(300)
    performance_deadline = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="空为即时履行"
    )
    signed_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="默认今天")


class MediationFollowUpInputSerializer(serializers.Serializer):
    visited_on = serializers.DateField()
    method = serializers.ChoiceField(choices=FollowUpMethod.choices)
    performance = serializers.ChoiceField(choices=Performance.choices)
    note = text_field(2000)


class MediationCloseSerializer(serializers.Serializer):
    summary = text_field(2000)


class MediationExtendSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=30)
    reason = text_field(500)


class MediationNoteSerializer(serializers.Serializer):
    text = text_field(2000)


class MediationTeamSerializer(serializers.Serializer):
    committee = serializers.PrimaryKeyRelatedField(queryset=Committee.objects.all())
    legal_adviser = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    mediators = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), many=True)
    lead = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True, help_text="默认第一位调解员"
    )


class MediationSessionScheduleSerializer(serializers.Serializer):
    scheduled_at = serializers.DateTimeField()
    place = text_field(100)


class MediationSessionRecordSerializer(serializers.Serializer):
    notes = text_field(5000)
    parties_present = serializers.PrimaryKeyRelatedField(queryset=Party.objects.all(), many=True)
    staff_present = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False, help_text="默认本人"
    )
    other_attendees = text_field(200, required=False)
    held_at = serializers.DateTimeField(required=False, allow_null=True)


class MediationSessionCancelSerializer(serializers.Serializer):
    reason = text_field(200)


class MediationJudicialApplySerializer(serializers.Serializer):
    applied_on = serializers.DateField()
    court = text_field(100)


class MediationJudicialResultSerializer(serializers.Serializer):
    confirmed = serializers.BooleanField(help_text="true 裁定确认有效;false 驳回")
    decided_on = serializers.DateField()
    note = text_field(300, required=False)


class MediationRevealRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200,
        help_text="查看事由,必填,记入审计日志",
        error_messages={"blank": "请填写查看事由。", "required": "请填写查看事由。"},
    )


class MediationRevealResponseSerializer(serializers.Serializer):
    id_number = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)

    def to_representation(self, instance: Any) -> Any:
        return dict(instance)
