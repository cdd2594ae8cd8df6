from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.regions.models import Node


class NodeCountsSerializer(serializers.Serializer):
    grids = serializers.IntegerField(help_text="网格数")
    buildings = serializers.IntegerField(help_text="楼栋数")
    units = serializers.IntegerField(help_text="单元数")
    households = serializers.IntegerField(help_text="户数")
    residents = serializers.IntegerField(help_text="居民数")
    aged_70_plus = serializers.IntegerField(help_text="70 岁以上居民数")
    representatives = serializers.IntegerField(help_text="群众代表数")


class NodeSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="显示名称(简称优先)")
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.SerializerMethodField(help_text="上级节点编号;根节点为 null")
    child_count = serializers.IntegerField(source="numchild", read_only=True)

    class Meta:
        model = Node
        fields = [
            "id",
            "name",
            "short_name",
            "label",
            "level",
            "level_display",
            "code",
            "kind",
            "kind_display",
            "parent",
            "child_count",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_parent(self, node: Node) -> int | None:
        parents: dict[str, int] = self.context.get("parent_ids", {})
        if node.depth == 1:
            return None
        parent_path = node.path[: -node.steplen]
        if parent_path in parents:
            return parents[parent_path]
        parent = Node.objects.filter(path=parent_path).values_list("pk", flat=True).first()
        return parent


class NodeDetailSerializer(NodeSerializer):
    counts = NodeCountsSerializer(read_only=True)

    class Meta(NodeSerializer.Meta):
        fields = [*NodeSerializer.Meta.fields, "counts"]


class ResidentSerializer(serializers.Serializer):
    """A `presentation.MaskedResident`: what every staff role sees (ADR 0017)."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True, help_text="姓名")
    gender = serializers.ChoiceField(choices=[("M", "男"), ("F", "女")], read_only=True, help_text="M 男;F 女")
    gender_display = serializers.CharField(read_only=True)
    age = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="年龄(周岁)。不提供出生日期:它会补全脱敏的身份证号"
    )
    id_number = serializers.CharField(read_only=True, help_text="脱敏身份证号(保留前 3 位和后 2 位)")
    phone = serializers.CharField(read_only=True, help_text="脱敏手机号")
    address = serializers.CharField(read_only=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True)
    is_household_head = serializers.BooleanField(read_only=True)


class RevealRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=200,
        help_text="查看事由,必填,记入审计日志",
        error_messages={"blank": "请填写查看事由。", "required": "请填写查看事由。"},
    )


class RevealResponseSerializer(serializers.Serializer):
    id_number = serializers.CharField()
    phone = serializers.CharField(allow_blank=True)

    def to_representation(self, instance: Any) -> Any:
        return dict(instance)
