"""Serializers of the matters API. Output masks the reporter's name and
phone; input serializers only parse, the services hold the rules."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.accounts.models import User
from grassroots.core.masking import mask_name, mask_phone
from grassroots.core.publishing import publisher
from grassroots.regions.models import Node

from ...forms.staff import category_queryset, staff_for
from ...models import (
    Attachment,
    Category,
    Channel,
    Matter,
    MatterEvent,
    ReopenRequest,
    ResponsibleUnit,
    Urgency,
)
from ...publishing import PLAN, RESULT
from ...states import State
from ...views.display import mask_channel_detail
from .fields import ScopedPrimaryKeyField as ScopedPrimaryKeyField
from .fields import choice_messages as _choice
from .fields import required_messages as _required
from .intake import STAFF_CHANNEL_CHOICES as STAFF_CHANNEL_CHOICES
from .intake import STAFF_CHANNELS as STAFF_CHANNELS
from .intake import MatterCreateSerializer as MatterCreateSerializer


class MatterCategorySerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True, help_text="上级分类 / 分类")
    unit_kind_display = serializers.CharField(source="get_unit_kind_display", read_only=True)

    class Meta:
        model = Category
        fields = [
            "id",
            "code",
            "name",
            "full_name",
            "parent",
            "description",
            "unit_kind",
            "unit_kind_display",
            "department_code",
            "deadline_days",
        ]


class MatterAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="下载地址(需登录,按辖区限制)")

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "public", "created_at", "url"]

    def get_url(self, attachment: Attachment) -> str:
        return reverse("matters:attachment", kwargs={"pk": attachment.pk})


class MatterSerializer(serializers.ModelSerializer):
    """A row of the work queue."""

    node_label = serializers.CharField(source="node.label", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    urgency_display = serializers.CharField(source="get_urgency_display", read_only=True)
    category_name = serializers.SerializerMethodField()
    assignee_name = serializers.SerializerMethodField()

    class Meta:
        model = Matter
        fields = [
            "id",
            "number",
            "title",
            "node",
            "node_label",
            "state",
            "state_display",
            "channel",
            "channel_display",
            "category",
            "category_name",
            "urgency",
            "urgency_display",
            "touches_collective",
            "due_date",
            "due_provisional",
            "assignee",
            "assignee_name",
            "escalation_level",
            "created_at",
        ]

    def get_category_name(self, matter: Matter) -> str:
        return str(matter.category) if matter.category else ""

    def get_assignee_name(self, matter: Matter) -> str:
        return str(matter.assignee) if matter.assignee else ""


class MatterDetailSerializer(MatterSerializer):
    reporter_name = serializers.SerializerMethodField(help_text="脱敏姓名;匿名为“匿名”")
    reporter_phone = serializers.SerializerMethodField(help_text="脱敏手机号")
    responsible_unit_name = serializers.SerializerMethodField()
    attachments = MatterAttachmentSerializer(many=True, read_only=True)
    merged_into_number = serializers.SerializerMethodField()
    address_text = serializers.SerializerMethodField(help_text="标准地址全文;未选为空")

    class Meta(MatterSerializer.Meta):
        fields = [
            *MatterSerializer.Meta.fields,
            "tracking_code",
            "description",
            "location",
            "address",
            "address_text",
            "latitude",
            "longitude",
            "channel_detail",
            "reporter_name",
            "reporter_phone",
            "anonymous",
            "public_consent",
            "responsible_unit",
            "responsible_unit_name",
            "deadline_days",
            "handling_plan",
            "result",
            "rejection_reason",
            "merged_into",
            "merged_into_number",
            "escalated_to",
            "joint_meeting_requested_at",
            "joint_meeting_reason",
            "accepted_at",
            "resolved_at",
            "closed_at",
            "attachments",
        ]

    def to_representation(self, instance: Any) -> Any:
        data = super().to_representation(instance)
        data["channel_detail"] = mask_channel_detail(instance.channel_detail)
        return data

    def get_reporter_name(self, matter: Matter) -> str:
        return "匿名" if matter.anonymous else mask_name(matter.reporter_name)

    def get_reporter_phone(self, matter: Matter) -> str:
        return mask_phone(matter.reporter_phone)

    def get_responsible_unit_name(self, matter: Matter) -> str:
        return str(matter.responsible_unit) if matter.responsible_unit else ""

    @extend_schema_field(serializers.CharField(allow_blank=True))
    def get_merged_into_number(self, matter: Matter) -> str:
        return matter.merged_into.number if matter.merged_into else ""

    def get_address_text(self, matter: Matter) -> str:
        return matter.address.full_text if matter.address else ""


class MatterAcceptSerializer(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.none(), help_text="二级分类编号", error_messages=_choice("分类")
    )
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=ResponsibleUnit.objects.filter(active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="责任单位编号;不填则按分类默认",
        error_messages=_choice("责任单位"),
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, allow_null=True, default=None)
    touches_collective = serializers.BooleanField(required=False, allow_null=True, default=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = category_queryset()


class MatterReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="理由", error_messages=_required("理由"))


class MatterMergeSerializer(serializers.Serializer):
    into = ScopedPrimaryKeyField(
        queryset=Matter.objects.all(), help_text="合并到的事项编号(id)", error_messages=_choice("目标事项")
    )


class MatterAssignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(), help_text="承办人用户编号", error_messages=_choice("承办人")
    )
    plan = serializers.CharField(max_length=5000, help_text="办理方案", error_messages=_required("办理方案"))

    def __init__(self, *args: Any, matter: Matter | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if matter is not None:
            self.fields["assignee"].queryset = staff_for(matter)
        else:
            self.fields["assignee"].queryset = User.objects.filter(is_active=True)


class MatterResolveSerializer(serializers.Serializer):
    result = serializers.CharField(max_length=5000, help_text="办理结果", error_messages=_required("办理结果"))
    files = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="结果照片或 PDF(公开),multipart 上传"
    )


class MatterNoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000, help_text="内容", error_messages=_required("内容"))
    public = serializers.BooleanField(
        required=False, default=False, help_text="true:公开答复(反映人可见);false:内部备注"
    )


class MatterEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    actor_name = serializers.SerializerMethodField()
    attachments = MatterAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = MatterEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "action",
            "from_state",
            "to_state",
            "actor",
            "actor_name",
            "text",
            "public",
            "data",
            "created_at",
            "attachments",
        ]

    def get_actor_name(self, event: MatterEvent) -> str:
        return str(event.actor) if event.actor else event.actor_label


class MatterPublicationSerializer(serializers.Serializer):
    """A matter's plan or result publication; posting one publishes it at once."""

    id = serializers.IntegerField(read_only=True)
    matter = serializers.IntegerField(source="matter_id", read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=[], error_messages=_choice("公示内容"))
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state = serializers.CharField(read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    title = serializers.CharField(max_length=100, error_messages=_required("标题"))
    content = serializers.CharField(max_length=5000, error_messages=_required("正文"))
    starts_on = serializers.DateField(
        error_messages={**_required("公示开始日期"), "invalid": "日期格式应为 YYYY-MM-DD。"}
    )
    ends_on = serializers.DateField(
        error_messages={**_required("公示结束日期"), "invalid": "日期格式应为 YYYY-MM-DD。"}
    )
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=[], error_messages=_choice("公示渠道")),
        allow_empty=False,
        error_messages={"empty": "请至少选择一个公示渠道。", "required": "请选择公示渠道。"},
    )
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)
    created_by_name = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    withdraw_reason = serializers.CharField(read_only=True, label="撤回原因")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Kinds and channels as publicity registers them (ADR 0033)."""
        super().__init__(*args, **kwargs)
        notices = publisher()
        kind, channels = self.fields["kind"], self.fields["channels"]
        assert isinstance(kind, serializers.ChoiceField) and isinstance(channels, serializers.ListField)
        kind.choices = [(k, notices.kind_label(k)) for k in (PLAN, RESULT)]
        channels.child.choices = list(notices.channels)

    def get_created_by_name(self, publication: Any) -> str:
        return str(publication.created_by)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["ends_on"] < attrs["starts_on"]:
            raise serializers.ValidationError({"ends_on": ["公示结束日期不能早于开始日期。"]})
        return attrs


class MatterDuplicateSerializer(serializers.Serializer):
    matter = MatterSerializer()
    score = serializers.FloatField(help_text="文本相似度(0–1)")


class MatterReopenAnswerSerializer(serializers.Serializer):
    grant = serializers.BooleanField(help_text="true:同意重新办理;false:不同意", error_messages=_choice("是否同意"))
    answer = serializers.CharField(max_length=1000, help_text="答复内容", error_messages=_required("答复内容"))


class MatterReopenRequestSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ReopenRequest
        fields = ["id", "matter", "reason", "status", "status_display", "answer", "answered_at", "created_at"]


class MatterFilterSerializer(serializers.Serializer):
    """Query parameters of the list, checked like a body: bad input is 400."""

    state = serializers.ChoiceField(choices=State.choices, required=False, error_messages=_choice("状态"))
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, error_messages=_choice("分类")
    )
    node = ScopedPrimaryKeyField(queryset=Node.objects.all(), required=False, error_messages=_choice("辖区"))
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, error_messages=_choice("渠道"))
    overdue = serializers.ChoiceField(
        choices=[("late", "已逾期"), ("late3", "严重逾期")], required=False, error_messages=_choice("逾期筛选")
    )
    date_from = serializers.DateField(required=False, error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"})
    date_to = serializers.DateField(required=False, error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"})
    q = serializers.CharField(
        max_length=50, required=False, allow_blank=True, error_messages={"max_length": "搜索内容不能超过 50 个字。"}
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": ["结束日期不能早于开始日期。"]})
        return attrs
