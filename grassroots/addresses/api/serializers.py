"""Serializers of the address API (names prefixed `Address…`). Errors are in
Chinese; the rules themselves are checked by services/."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from grassroots.core.api.fields import IdField, choice_field, text_field

from ..models import Address, AddressEvent, Campaign, Kind
from ..states import State


def _name(user: Any) -> str:
    return str(user) if user is not None else ""


class AddressAddressSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    has_photo = serializers.SerializerMethodField()
    campaign = serializers.SerializerMethodField()

    class Meta:
        model = Address
        fields = [
            "id",
            "node",
            "kind",
            "kind_display",
            "division_code",
            "road",
            "door_number",
            "building",
            "unit",
            "room",
            "full_text",
            "latitude",
            "longitude",
            "has_photo",
            "state",
            "state_display",
            "doubt_reason",
            "campaign",
            "collected_at",
            "village_verified_at",
            "verified_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_has_photo(self, obj: Address) -> bool:
        return bool(obj.photo)

    def get_campaign(self, obj: Address) -> int | None:
        return obj.batch.campaign_id if obj.batch_id and obj.batch is not None else None


class AddressEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = AddressEvent
        fields = ["id", "action", "from_state", "to_state", "actor_name", "text", "data", "campaign", "created_at"]
        read_only_fields = fields

    def get_actor_name(self, obj: AddressEvent) -> str:
        return _name(obj.actor) or "系统"


class AddressFilterSerializer(serializers.Serializer):
    state = choice_field("状态", State.choices, required=False)
    kind = choice_field("地址类型", Kind.choices, required=False)
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=50, error_messages={"max_length": "搜索内容不能超过 50 个字。"}
    )


class AddressPartsSerializer(serializers.Serializer):
    kind = choice_field("地址类型", Kind.choices)
    road = text_field("街路巷", 50)
    door_number = text_field("门牌号", 20)
    building = text_field("楼栋号", 20, required=False)
    unit = text_field("单元号", 20, required=False)
    room = text_field("户室号", 20, required=False)


class AddressCreateSerializer(AddressPartsSerializer):
    node = IdField(help_text="楼栋地址挂楼栋节点,单元、户/室地址挂单元节点")


def _coordinate(label: str, help_text: str) -> serializers.DecimalField:
    """A WGS-84 coordinate with six decimals (the range is the service's check)."""
    return serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        required=False,
        allow_null=True,
        coerce_to_string=False,
        error_messages={"invalid": f"{label}应为数字。", "max_decimal_places": f"{label}最多 6 位小数。"},
        help_text=help_text,
    )


class AddressCollectSerializer(AddressPartsSerializer):
    latitude = _coordinate("纬度", "WGS-84 纬度(-90 到 90),与经度同时给出")
    longitude = _coordinate("经度", "WGS-84 经度(-180 到 180)")
    photo = serializers.ImageField(
        required=False,
        allow_null=True,
        error_messages={"invalid_image": "无法识别照片内容,请上传 JPG、PNG 或 WebP 格式的照片。"},
        help_text="现场照片(multipart/form-data)",
    )


class AddressReasonSerializer(serializers.Serializer):
    reason = text_field("退回原因", 200)


class AddressCampaignSerializer(serializers.ModelSerializer):
    node_name = serializers.CharField(source="node.label", read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "title", "node", "node_name", "due_on", "opened_at", "closed_at", "is_open"]
        read_only_fields = fields


class AddressCampaignCreateSerializer(serializers.Serializer):
    title = text_field("核采名称", 100)
    node = IdField(help_text="街道或村/社区节点")
    due_on = serializers.DateField(
        required=False, allow_null=True, error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"}
    )


class AddressTallySerializer(serializers.Serializer):
    label = serializers.CharField()
    batch = serializers.IntegerField(source="pk", allow_null=True)
    total = serializers.IntegerField()
    collected = serializers.IntegerField()
    done = serializers.IntegerField()
    doubtful = serializers.IntegerField()
    percent = serializers.FloatField()


class AddressVillageProgressSerializer(serializers.Serializer):
    tally = AddressTallySerializer()
    grids = AddressTallySerializer(many=True)


class AddressDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    collected = serializers.IntegerField()


class AddressProgressSerializer(serializers.Serializer):
    total = AddressTallySerializer()
    rate = serializers.FloatField(help_text="完成率(%):已核验 / 地址总数")
    villages = AddressVillageProgressSerializer(many=True)
    daily = AddressDaySerializer(many=True)
