"""Serializers of the project register: a project with owner, budget,
funding, derived progress and its dated milestones; the inputs of a project,
of a new milestone and of reaching the next one."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from grassroots.core.api.fields import choice_field, text_field

from ..models import KeyProject, Milestone, ProjectKind, ProjectLevel, ProjectStage
from .serializers import date


class EconomyMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "name", "planned_on", "reached_on", "progress"]
        read_only_fields = fields


class EconomyProjectSerializer(serializers.ModelSerializer):
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    project_type_display = serializers.CharField(source="get_project_type_display", read_only=True)
    milestones = EconomyMilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = KeyProject
        fields = [
            "id",
            "name",
            "node",
            "level",
            "level_display",
            "stage",
            "stage_display",
            "project_type",
            "project_type_display",
            "owner",
            "budget",
            "funding",
            "progress",
            "milestones",
            "next_milestone",
            "next_milestone_on",
            "blockers",
            "leader",
            "updated_at",
        ]
        read_only_fields = fields


class EconomyProjectInputSerializer(serializers.Serializer):
    name = text_field("项目名称", 100)
    level = choice_field("项目级别", ProjectLevel.choices)
    stage = choice_field("项目阶段", ProjectStage.choices)
    project_type = choice_field("项目类别", ProjectKind.choices, required=False)
    owner = text_field("责任单位", 100, required=False)
    budget = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=Decimal(0),
        required=False,
        error_messages={
            "invalid": "总投资应为数字。",
            "max_digits": "总投资太大了。",
            "max_whole_digits": "总投资太大了。",
            "max_decimal_places": "总投资最多精确到分(两位小数)。",
            "min_value": "总投资不能小于零。",
            "max_string_length": "总投资太长了。",
        },
    )
    funding = text_field("资金来源", 200, required=False)
    next_milestone = text_field("下一节点", 200, required=False)
    next_milestone_on = date("节点日期", required=False)
    blockers = text_field("存在问题", 2000, required=False)
    leader = text_field("包挂领导", 50, required=False)


class EconomyMilestoneInputSerializer(serializers.Serializer):
    name = text_field("节点名称", 100)
    planned_on = date("计划日期")
    progress = serializers.IntegerField(
        min_value=1,
        max_value=100,
        error_messages={
            "required": "请填写进度。",
            "null": "请填写进度。",
            "invalid": "进度应为整数。",
            "min_value": "进度应为 1 到 100 之间的整数。",
            "max_value": "进度应为 1 到 100 之间的整数。",
            "max_string_length": "进度太长了。",
        },
    )


class EconomyMilestoneReachSerializer(serializers.Serializer):
    day = date("达成日期")
