"""Serializers of the centre's other endpoints: committees, grid legal
advisers, consultations (asker names masked), workloads and statistics."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from grassroots.accounts.models import User
from grassroots.core.masking import mask_name
from grassroots.regions.models import Node

from ..models import Committee, Consultation, ConsultationTopic, GridAdviser
from .serializers import MediationUserRefSerializer, text_field


class MediationCommitteeSerializer(serializers.ModelSerializer):
    node_label = serializers.CharField(source="node.label", read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "name", "node", "node_label", "active"]
        read_only_fields = ["active"]
        extra_kwargs: dict[str, Any] = {"name": {"validators": []}}


class MediationGridAdviserSerializer(serializers.ModelSerializer):
    grid_label = serializers.CharField(source="grid.label", read_only=True)
    adviser_name = serializers.CharField(source="adviser.__str__", read_only=True)

    class Meta:
        model = GridAdviser
        fields = ["id", "grid", "grid_label", "adviser", "adviser_name", "since", "until"]
        read_only_fields = ["since", "until"]
        extra_kwargs: dict[str, Any] = {"adviser": {"queryset": User.objects.filter(is_active=True)}}


class MediationConsultationSerializer(serializers.ModelSerializer):
    grid_label = serializers.CharField(source="grid.label", read_only=True)
    adviser = serializers.StringRelatedField()
    asker_name = serializers.SerializerMethodField(help_text="脱敏姓名")
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = Consultation
        fields = [
            "id",
            "grid",
            "grid_label",
            "adviser",
            "consulted_on",
            "category",
            "category_display",
            "topic",
            "asker_name",
            "advice",
        ]

    def get_asker_name(self, consultation: Consultation) -> str:
        return mask_name(consultation.asker_name)


class MediationConsultationInputSerializer(serializers.Serializer):
    grid = serializers.PrimaryKeyRelatedField(queryset=Node.objects.all())
    consulted_on = serializers.DateField()
    category = serializers.ChoiceField(choices=ConsultationTopic.choices)
    topic = text_field(100)
    asker_name = text_field(50)
    advice = text_field(3000)


class MediationWorkloadSerializer(serializers.Serializer):
    user = MediationUserRefSerializer()
    open_cases = serializers.IntegerField(help_text="未结案件数")
    overdue = serializers.IntegerField(help_text="超过调解期限的案件数")
    lead = serializers.IntegerField(help_text="担任主调解员的案件数")
    grids = serializers.IntegerField(help_text="服务的网格数(法律顾问)")


class MediationOutcomeRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    open = serializers.IntegerField()
    agreed = serializers.IntegerField()
    failed = serializers.IntegerField()
    declined = serializers.IntegerField()
    agreement_rate = serializers.FloatField(allow_null=True, help_text="达成协议 /(达成协议 + 调解不成),百分比")


class MediationRepeatGroupSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="脱敏姓名或地点")
    cases = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_cases(self, group: Any) -> list[str]:
        return [number for _pk, number in group.cases]


class MediationStatsSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    total = MediationOutcomeRowSerializer()
    by_source = MediationOutcomeRowSerializer(many=True)
    by_type = MediationOutcomeRowSerializer(many=True)
    by_area = MediationOutcomeRowSerializer(many=True)
    months = serializers.ListField(child=serializers.DateField())
    month_counts = serializers.DictField(child=serializers.ListField(child=serializers.IntegerField()))
    repeat_parties = MediationRepeatGroupSerializer(many=True)
    repeat_places = serializers.SerializerMethodField()

    @extend_schema_field(MediationRepeatGroupSerializer(many=True))
    def get_repeat_places(self, stats: Any) -> list[dict[str, Any]]:
        return [{"label": p.node.label, "cases": [n for _pk, n in p.cases]} for p in stats.repeat_places]
