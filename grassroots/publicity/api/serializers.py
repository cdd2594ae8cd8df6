"""Serializers of the 晒事 API (names prefixed `Publicity…`). Errors are in
Chinese; the rules themselves are checked by services.py."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from grassroots.core.api.fields import IdField

from .. import services, share
from ..models import Channel, Kind, Objection, Publication, State
from ..views.staff import public_path

DATE_ERRORS = {"invalid": "日期格式应为 YYYY-MM-DD。"}


def _required(label: str) -> dict[str, str]:
    return {"required": f"请填写{label}。", "blank": f"请填写{label}。", "null": f"请填写{label}。"}


def _choice(label: str) -> dict[str, str]:
    return {
        "required": f"请选择{label}。",
        "null": f"请选择{label}。",
        "invalid_choice": "“{input}”不是有效的" + label + "。",
    }


def _date(label: str) -> serializers.DateField:
    return serializers.DateField(
        required=False, allow_null=True, help_text=label, error_messages={**DATE_ERRORS, "null": f"请填写{label}。"}
    )


def _channels() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices, error_messages=_choice("公示渠道")),
        allow_empty=False,
        error_messages={
            "empty": "请至少选择一个公示渠道。",
            "required": "请选择公示渠道。",
            "not_a_list": "公示渠道应为列表。",
            "null": "请选择公示渠道。",
        },
    )


def _name(user: Any) -> str:
    return str(user) if user is not None else ""


class PublicityPublicationSerializer(serializers.ModelSerializer):
    """A publication as staff see it (with who drafted, published and withdrew it)."""

    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state = serializers.ChoiceField(choices=State.choices, read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    shown_state = serializers.SerializerMethodField(help_text="群众看到的状态:公示期已过的显示为“公示期满”")
    node_name = serializers.CharField(source="node.label", read_only=True)
    matter_number = serializers.SerializerMethodField()
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices), read_only=True)
    period = serializers.SerializerMethodField()
    created_by_name = serializers.SerializerMethodField()
    published_by_name = serializers.SerializerMethodField()
    withdrawn_by_name = serializers.SerializerMethodField()
    objection_count = serializers.SerializerMethodField()
    public_path = serializers.SerializerMethodField(help_text="群众查看的页面")

    class Meta:
        model = Publication
        fields = [
            "id",
            "kind",
            "kind_display",
            "state",
            "state_display",
            "shown_state",
            "title",
            "content",
            "node",
            "node_name",
            "matter",
            "matter_number",
            "meeting",
            "appraisal",
            "data",
            "starts_on",
            "ends_on",
            "period",
            "channels",
            "created_by_name",
            "created_at",
            "published_by_name",
            "published_at",
            "ended_at",
            "withdrawn_by_name",
            "withdrawn_at",
            "withdraw_reason",
            "objection_count",
            "public_path",
        ]
        read_only_fields = fields

    def get_shown_state(self, obj: Publication) -> str:
        return services.shown_state(obj)

    def get_matter_number(self, obj: Publication) -> str:
        return obj.matter.number if obj.matter_id and obj.matter is not None else ""

    def get_period(self, obj: Publication) -> str:
        return share.period_label(obj)

    def get_created_by_name(self, obj: Publication) -> str:
        return _name(obj.created_by)

    def get_published_by_name(self, obj: Publication) -> str:
        return _name(obj.published_by)

    def get_withdrawn_by_name(self, obj: Publication) -> str:
        return _name(obj.withdrawn_by)

    def get_objection_count(self, obj: Publication) -> int:
        annotated = getattr(obj, "objection_count", None)
        return int(annotated) if annotated is not None else obj.objections.count()

    def get_public_path(self, obj: Publication) -> str:
        return public_path(obj.pk)


class PublicityFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False, error_messages=_choice("状态"))
    kind = serializers.ChoiceField(choices=Kind.choices, required=False, error_messages=_choice("公示内容"))
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=50, error_messages={"max_length": "搜索内容不能超过 50 个字。"}
    )


class PublicityWriteSerializer(serializers.Serializer):
    title = serializers.CharField(
        max_length=100, error_messages={**_required("公示标题"), "max_length": "公示标题不能超过 100 个字。"}
    )
    content = serializers.CharField(
        max_length=5000, error_messages={**_required("公示正文"), "max_length": "公示正文不能超过 5000 个字。"}
    )
    channels = _channels()
    starts_on = _date("公示开始日期(草稿可不填;发布时默认当天)")
    ends_on = _date("公示结束日期(不填则默认 5 个工作日)")


class PublicityCreateSerializer(PublicityWriteSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices, error_messages=_choice("公示内容"))
    matter = IdField(required=False, allow_null=True, help_text="理事方案、理事结果:事项编号(id)")
    meeting = IdField(required=False, allow_null=True, help_text="议事决议:已结束的会议 id")
    appraisal = IdField(required=False, allow_null=True, help_text="评议结果:已结束的月度评议 id")
    node = IdField(required=False, allow_null=True, help_text="评事考评排行:街道节点 id")
    data = serializers.JSONField(required=False, help_text="评事考评排行的统计月份和名单")
    publish = serializers.BooleanField(required=False, default=False, help_text="true 则立即发布,否则保存为草稿")


class PublicityUpdateSerializer(PublicityWriteSerializer):
    """A draft's new text, channels and planned period."""


class PublicityPublishSerializer(serializers.Serializer):
    starts_on = _date("公示开始日期(默认当天)")
    ends_on = _date("公示结束日期(默认 5 个工作日)")


class PublicityWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200, error_messages={**_required("撤回原因"), "max_length": "撤回原因不能超过 200 个字。"}
    )


class PublicityObjectionSerializer(serializers.ModelSerializer):
    matter_number = serializers.CharField(source="matter.number", read_only=True)
    matter_title = serializers.CharField(source="matter.title", read_only=True)
    matter_state = serializers.CharField(source="matter.state", read_only=True)
    matter_state_display = serializers.CharField(source="matter.get_state_display", read_only=True)

    class Meta:
        model = Objection
        fields = ["id", "matter", "matter_number", "matter_title", "matter_state", "matter_state_display", "created_at"]
        read_only_fields = fields
