"""Serializers of referrals (转介) and of a case's original matter. Phones
are masked; the matter's place stops at the grid."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.core.api.fields import IdField
from grassroots.core.masking import mask_phone

from ..models import DisputeReferral, DisputeType, RiskLevel

REQUIRED = {"required": "此项为必填项。", "blank": "此项不能为空。", "null": "此项不能为空。"}


class MediationMatterAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()


class MediationReferralBriefSerializer(serializers.Serializer):
    referred_by = serializers.CharField(help_text="转介人")
    referred_at = serializers.DateTimeField()
    dispute_type = serializers.CharField()
    reason = serializers.CharField(help_text="转介说明")
    escalation_risk = serializers.BooleanField()


class MediationMatterFactsSerializer(serializers.Serializer):
    """What the centre needs of the original matter (调解员、法律顾问看不到事项页面)."""

    matter = serializers.IntegerField(source="matter.pk")
    number = serializers.CharField(source="matter.number")
    title = serializers.CharField(source="matter.title")
    description = serializers.CharField(source="matter.description")
    place = serializers.CharField(help_text="发生地(到网格为止)")
    category = serializers.CharField()
    channel = serializers.CharField()
    reported_at = serializers.DateTimeField()
    reporter = serializers.CharField(help_text="反映人姓名;匿名时为“匿名”")
    reporter_phone = serializers.CharField(help_text="反映人手机号(脱敏)")
    attachments = MediationMatterAttachmentSerializer(many=True)
    referral = MediationReferralBriefSerializer(allow_null=True, help_text="转介情况(直接转入的为空)")


class MediationReferralSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    dispute_type_display = serializers.CharField(source="get_dispute_type_display", read_only=True)
    matter_number = serializers.CharField(source="matter.number", read_only=True)
    matter_title = serializers.CharField(source="matter.title", read_only=True)
    place = serializers.CharField(source="matter.node.label", read_only=True)
    other_party_phone = serializers.SerializerMethodField(help_text="对方联系电话(脱敏)")
    referred_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField(allow_null=True)
    case_number = serializers.SerializerMethodField()

    class Meta:
        model = DisputeReferral
        fields = [
            "id",
            "matter",
            "matter_number",
            "matter_title",
            "place",
            "state",
            "state_display",
            "dispute_type",
            "dispute_type_display",
            "reason",
            "other_party",
            "other_party_phone",
            "escalation_risk",
            "referred_by",
            "referred_at",
            "decided_by",
            "decided_at",
            "return_reason",
            "case",
            "case_number",
        ]

    def get_other_party_phone(self, referral: DisputeReferral) -> str:
        return mask_phone(referral.other_party_phone)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_case_number(self, referral: DisputeReferral) -> str | None:
        return referral.case.number if referral.case_id and referral.case else None


class MediationReferralCreateSerializer(serializers.Serializer):
    matter = IdField(help_text="事项 id")
    dispute_type = serializers.ChoiceField(choices=DisputeType.choices)
    reason = serializers.CharField(
        max_length=2000, help_text="纠纷经过、已做的工作和转调解的理由", error_messages=REQUIRED
    )
    other_party = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    other_party_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    escalation_risk = serializers.BooleanField(default=False)


class MediationReferralAcceptSerializer(serializers.Serializer):
    dispute_type = serializers.ChoiceField(
        choices=DisputeType.choices, required=False, help_text="不填则用转介时的纠纷类型"
    )
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices, default=RiskLevel.LOW)
    escalation_risk = serializers.BooleanField(required=False, help_text="不填则用转介时的判断")


class MediationReferralReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="退回理由", error_messages=REQUIRED)
