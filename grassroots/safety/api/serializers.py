"""Serializers of the safety API (names prefixed `Safety…`). The operator's
phone is only ever answered masked. Errors are in Chinese; the rules
themselves are checked by services/."""

from __future__ import annotations

from rest_framework import serializers

from grassroots.core.api.fields import IdField, choice_field, text_field
from grassroots.core.masking import mask_phone

from ..models import (
    Checklist,
    ChecklistItem,
    ChecklistVersion,
    Hazard,
    Premises,
    PremisesEvent,
    PremisesKind,
    RiskLevel,
)
from ..selectors import NINE_SMALL_FILTER
from ..states import HazardState, State


class SafetyPremisesSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    risk_level_display = serializers.CharField(source="get_risk_level_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    node_label = serializers.SerializerMethodField()
    address_text = serializers.SerializerMethodField()
    operator_phone_masked = serializers.SerializerMethodField()

    class Meta:
        model = Premises
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "risk_level",
            "risk_level_display",
            "node",
            "node_label",
            "address",
            "address_text",
            "location",
            "operator_name",
            "operator_phone_masked",
            "note",
            "state",
            "state_display",
            "closed_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_node_label(self, obj: Premises) -> str:
        return str(obj.node.label)

    def get_address_text(self, obj: Premises) -> str:
        return obj.address.full_text if obj.address_id and obj.address is not None else ""

    def get_operator_phone_masked(self, obj: Premises) -> str:
        return mask_phone(obj.operator_phone)


class SafetyPremisesEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = PremisesEvent
        fields = ["id", "action", "from_state", "to_state", "actor_name", "text", "data", "created_at"]
        read_only_fields = fields

    def get_actor_name(self, obj: PremisesEvent) -> str:
        return str(obj.actor) if obj.actor is not None else "系统"


class SafetyPremisesFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=50, error_messages={"max_length": "搜索内容不能超过 50 个字。"}
    )
    kind = choice_field("场所类型", [(NINE_SMALL_FILTER, "九小场所(全部)"), *PremisesKind.choices], required=False)
    risk_level = choice_field("风险等级", RiskLevel.choices, required=False)
    state = choice_field("状态", State.choices, required=False)


class SafetyPremisesInputSerializer(serializers.Serializer):
    """Fields named after `PremisesInput`; `node` and `address` are ids."""

    name = text_field("场所名称", 100)
    kind = choice_field("场所类型", PremisesKind.choices)
    risk_level = choice_field("风险等级", RiskLevel.choices)
    node = IdField(help_text="所属村/社区或网格节点")
    address = IdField(required=False, allow_null=True, help_text="可选:标准地址(须在所属村/网格内)")
    location = text_field("位置说明", 200, required=False)
    operator_name = text_field("经营者或负责人", 50)
    operator_phone = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        allow_null=True,
        default=None,
        help_text="手机号码;修改时省略或为 null 则保留已登记的号码,空字符串清除",
        error_messages={"max_length": "联系电话太长了。"},
    )
    note = text_field("备注", 1000, required=False)


class SafetyReasonSerializer(serializers.Serializer):
    reason = text_field("关停原因", 200)


class SafetyChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "position", "text", "legal_basis"]
        read_only_fields = fields


class SafetyChecklistVersionSerializer(serializers.ModelSerializer):
    items = SafetyChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistVersion
        fields = ["id", "number", "note", "published_at", "items"]
        read_only_fields = fields


class SafetyChecklistSerializer(serializers.ModelSerializer):
    versions = SafetyChecklistVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Checklist
        fields = ["id", "code", "title", "kinds", "versions"]
        read_only_fields = fields


class SafetyChecklistItemInputSerializer(serializers.Serializer):
    text = text_field("检查内容", 300)
    legal_basis = text_field("法律依据", 300)


class SafetyChecklistPublishSerializer(serializers.Serializer):
    items = SafetyChecklistItemInputSerializer(many=True, help_text="新版本的全部检查项,按顺序")
    note = text_field("修订说明", 200, required=False)


class SafetyHazardSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    premises_name = serializers.CharField(source="premises.name", read_only=True)
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = [
            "id",
            "premises",
            "premises_name",
            "source",
            "inspection",
            "item",
            "matter",
            "description",
            "legal_basis",
            "level",
            "level_display",
            "state",
            "state_display",
            "notice_number",
            "notice_issued_at",
            "deadline",
            "has_evidence",
            "rectified_at",
            "closed_at",
            "referral_record",
            "escalated_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_evidence(self, obj: Hazard) -> bool:
        return bool(obj.evidence)


class SafetyHazardFilterSerializer(serializers.Serializer):
    state = choice_field("状态", HazardState.choices, required=False)
    overdue = serializers.BooleanField(required=False, default=False)


class SafetyDaysSerializer(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1,
        max_value=60,
        error_messages={
            "required": "请填写整改期限。",
            "min_value": "整改期限至少 1 个工作日。",
            "max_value": "整改期限最多 60 个工作日。",
        },
    )


class SafetyRectifySerializer(serializers.Serializer):
    evidence = serializers.FileField(error_messages={"required": "请上传整改后的现场照片。"})
    note = text_field("整改情况", 500, required=False)


class SafetyReinspectSerializer(serializers.Serializer):
    passed = serializers.BooleanField(error_messages={"required": "请给出复查结果。"})
    note = text_field("复查情况", 500, required=False)
    days = serializers.IntegerField(min_value=1, max_value=60, required=False, default=5)


class SafetyReferSerializer(serializers.Serializer):
    record = text_field("移交执法记录", 500)
