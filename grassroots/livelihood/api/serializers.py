"""Serializers of the livelihood API (names prefixed `Livelihood…`). People
are answered masked as everywhere (age, never the birth date, masked ID and
phone). Errors are in Chinese; the rules themselves are in services/."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import serializers

from grassroots.core.api.fields import IdField, IdListField, MonthField, choice_field, text_field
from grassroots.core.masking import age_on, mask_id_number

from ..models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    CareFlag,
    CareVisit,
    CheckIn,
    FlagKind,
    HealthRound,
    ListKind,
    Milestone,
    Project,
    Registration,
    VisitKind,
)

DATE_ERRORS = {"invalid": "日期应为 YYYY-MM-DD 格式。", "required": "请填写日期。", "null": "请填写日期。"}


class LivelihoodPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    gender_display = serializers.CharField()
    age = serializers.IntegerField(allow_null=True)
    id_number = serializers.CharField(help_text="脱敏")
    phone = serializers.CharField(help_text="脱敏")
    address = serializers.CharField()


class LivelihoodCareRowSerializer(serializers.Serializer):
    resident = LivelihoodPersonSerializer()
    detail = serializers.CharField()
    visited_on = serializers.DateField(allow_null=True)


class LivelihoodCellSerializer(serializers.Serializer):
    visited = serializers.IntegerField()
    due = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)


class LivelihoodCoverageSerializer(serializers.Serializer):
    grid = serializers.IntegerField(source="grid.pk")
    grid_label = serializers.CharField(source="grid.label")
    cells = serializers.DictField(child=LivelihoodCellSerializer(), help_text="按名单:" + "、".join(ListKind.values))


class LivelihoodMonthSerializer(serializers.Serializer):
    month = MonthField(required=False)


class LivelihoodCareListQuerySerializer(serializers.Serializer):
    kind = choice_field("名单", ListKind.choices)
    month = MonthField(required=False)


def _resident_brief(resident: Any) -> dict[str, Any]:
    return {
        "id": resident.pk,
        "name": resident.name,
        "age": age_on(resident.birth_date, timezone.localdate()),
        "id_number": mask_id_number(resident.id_number),
    }


class LivelihoodResidentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    age = serializers.IntegerField(allow_null=True)
    id_number = serializers.CharField(help_text="脱敏")


class LivelihoodVisitSerializer(serializers.ModelSerializer):
    resident = serializers.SerializerMethodField()
    list_kind_display = serializers.CharField(source="get_list_kind_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = CareVisit
        fields = [
            "id",
            "resident",
            "list_kind",
            "list_kind_display",
            "kind",
            "kind_display",
            "visited_on",
            "note",
            "opinion",
            "matter",
            "created_at",
        ]
        read_only_fields = fields

    @staticmethod
    def get_resident(obj: CareVisit) -> dict[str, Any]:
        return dict(LivelihoodResidentBriefSerializer(_resident_brief(obj.resident)).data)


class LivelihoodVisitInputSerializer(serializers.Serializer):
    resident = IdField()
    list_kind = choice_field("名单", ListKind.choices)
    kind = choice_field("走访类型", VisitKind.choices)
    visited_on = serializers.DateField(required=False, error_messages=DATE_ERRORS)
    note = text_field("走访情况", 500, required=False)
    opinion = text_field("意见建议", 1000, required=False)


class LivelihoodToMatterSerializer(serializers.Serializer):
    title = text_field("事项标题", 100, required=False)


class LivelihoodHealthRoundSerializer(serializers.ModelSerializer):
    node_label = serializers.CharField(source="node.label", read_only=True)
    residents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = HealthRound
        fields = ["id", "node", "node_label", "place", "held_on", "served", "residents", "note", "created_at"]
        read_only_fields = fields


class LivelihoodHealthRoundInputSerializer(serializers.Serializer):
    node = IdField()
    place = text_field("巡诊地点", 100)
    held_on = serializers.DateField(error_messages=DATE_ERRORS)
    served = serializers.IntegerField(
        error_messages={"invalid": "服务人数应为整数。", "required": "请填写服务人数。", "null": "请填写服务人数。"}
    )
    residents = IdListField(required=False, max_length=500)
    note = text_field("备注", 500, required=False)


class LivelihoodFlagSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    resident = serializers.SerializerMethodField()

    class Meta:
        model = CareFlag
        fields = [
            "id",
            "kind",
            "kind_display",
            "household",
            "resident",
            "source",
            "since",
            "note",
            "state",
            "state_display",
            "ended_reason",
            "created_at",
        ]
        read_only_fields = fields

    @staticmethod
    def get_resident(obj: CareFlag) -> dict[str, Any] | None:
        if obj.resident is None:
            return None
        return dict(LivelihoodResidentBriefSerializer(_resident_brief(obj.resident)).data)


class LivelihoodFlagInputSerializer(serializers.Serializer):
    kind = choice_field("标记类型", FlagKind.choices)
    resident = IdField(help_text="居民;低收入家庭填户主或任一家庭成员")
    source = text_field("认定来源", 100)
    since = serializers.DateField(error_messages=DATE_ERRORS)
    note = text_field("备注", 200, required=False)


class LivelihoodFlagFilterSerializer(serializers.Serializer):
    kind = choice_field("标记类型", FlagKind.choices, required=False)


class LivelihoodReasonSerializer(serializers.Serializer):
    reason = text_field("撤销原因", 200)


class LivelihoodMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "position", "title", "percent", "due_on", "reached_on", "note"]
        read_only_fields = fields


class LivelihoodProjectSerializer(serializers.ModelSerializer):
    node_label = serializers.CharField(source="node.label", read_only=True)
    milestones = LivelihoodMilestoneSerializer(many=True, read_only=True)
    photos = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "node",
            "node_label",
            "budget",
            "funding_source",
            "description",
            "progress",
            "milestones",
            "photos",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class LivelihoodMilestoneInputSerializer(serializers.Serializer):
    title = text_field("节点名称", 100)
    percent = serializers.IntegerField(
        error_messages={"invalid": "进度应为整数。", "required": "请填写进度。", "null": "请填写进度。"}
    )
    due_on = serializers.DateField(required=False, allow_null=True, error_messages=DATE_ERRORS)


class LivelihoodProjectInputSerializer(serializers.Serializer):
    title = text_field("项目名称", 100)
    node = IdField()
    budget = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        error_messages={
            "invalid": "预算应为金额数字。",
            "required": "请填写预算。",
            "null": "请填写预算。",
            "max_digits": "预算金额过大。",
            "max_decimal_places": "预算最多两位小数。",
            "max_whole_digits": "预算金额过大。",
        },
    )
    funding_source = text_field("资金来源", 100)
    description = text_field("项目内容", 2000, required=False)
    milestones = LivelihoodMilestoneInputSerializer(many=True)


class LivelihoodReachSerializer(serializers.Serializer):
    note = text_field("完成情况", 500, required=False)


class LivelihoodPhotoSerializer(serializers.Serializer):
    photo = serializers.FileField(
        error_messages={"required": "请选择照片。", "empty": "照片是空文件。", "invalid": "请选择照片。"}
    )
    caption = text_field("说明", 100, required=False)


class LivelihoodActivityPhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityPhoto
        fields = ["id", "activity", "content_type", "size", "sha256", "caption", "created_at"]
        read_only_fields = fields


class LivelihoodActivitySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    node_label = serializers.CharField(source="node.label", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "kind",
            "kind_display",
            "node",
            "node_label",
            "starts_on",
            "place",
            "capacity",
            "weekday",
        ]
        read_only_fields = fields


class LivelihoodActivityInputSerializer(serializers.Serializer):
    title = text_field("活动名称", 100)
    kind = choice_field("活动类型", ActivityKind.choices)
    node = IdField()
    starts_on = serializers.DateField(error_messages=DATE_ERRORS)
    place = text_field("地点", 100)
    capacity = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        error_messages={"invalid": "名额应为正整数。", "min_value": "名额应为正整数。"},
    )
    weekday = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=6,
        help_text="每周固定:0 周一 … 4 周五 … 6 周日",
        error_messages={
            "invalid": "每周固定日无效。",
            "min_value": "每周固定日无效。",
            "max_value": "每周固定日无效。",
        },
    )


class LivelihoodRegistrationSerializer(serializers.ModelSerializer):
    resident = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["id", "activity", "resident", "attended", "created_at"]
        read_only_fields = fields

    @staticmethod
    def get_resident(obj: Registration) -> dict[str, Any]:
        return dict(LivelihoodResidentBriefSerializer(_resident_brief(obj.resident)).data)


class LivelihoodRegisterSerializer(serializers.Serializer):
    resident = IdField()


class LivelihoodCheckInSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckIn
        fields = ["id", "activity", "village", "held_on", "week", "participants", "note"]
        read_only_fields = fields


class LivelihoodCheckInInputSerializer(serializers.Serializer):
    village = IdField()
    participants = serializers.IntegerField(
        error_messages={"invalid": "参加人数应为整数。", "required": "请填写参加人数。", "null": "请填写参加人数。"}
    )
    held_on = serializers.DateField(required=False, error_messages=DATE_ERRORS)
    note = text_field("情况", 200, required=False)
