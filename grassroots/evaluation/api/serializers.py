"""Serializers of the 评事 API (names prefixed `Evaluation…`)."""

from __future__ import annotations

from rest_framework import serializers

from grassroots.core.api.fields import IdField, MonthField

from ..models import AppraisalItem, AppraisalSession


class EvaluationItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AppraisalItem
        fields = ["id", "kind", "label", "staff", "matter"]


class EvaluationSessionSerializer(serializers.ModelSerializer):
    village_name = serializers.CharField(source="village.label", read_only=True)
    items = EvaluationItemSerializer(many=True, read_only=True)
    roster_size = serializers.SerializerMethodField()

    class Meta:
        model = AppraisalSession
        fields = [
            "id",
            "village",
            "village_name",
            "month",
            "state",
            "items",
            "roster_size",
            "slips_batch",
            "attendance",
            "reconciliation",
            "head_hash",
            "frozen_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_roster_size(self, obj: AppraisalSession) -> int:
        return obj.roster.count()


class EvaluationSessionCreateSerializer(serializers.Serializer):
    village = IdField()
    month = MonthField(help_text="被评议月份 YYYY-MM")


class EvaluationCloseSerializer(serializers.Serializer):
    attendance = serializers.IntegerField(min_value=0, max_value=100000)
    void_codes = serializers.ListField(child=serializers.CharField(max_length=20), required=False, default=list)


class EvaluationPaperTallySerializer(serializers.Serializer):
    ballots = serializers.IntegerField(min_value=0)
    counts = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField(min_value=0)))
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class EvaluationResultSerializer(serializers.Serializer):
    item = EvaluationItemSerializer()
    suppressed = serializers.BooleanField()
    counts = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
    total = serializers.IntegerField(allow_null=True)
    satisfaction = serializers.FloatField(allow_null=True)


class EvaluationVoteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)
    choices = serializers.DictField(child=serializers.CharField(max_length=20))


class EvaluationReceiptSerializer(serializers.Serializer):
    tracker = serializers.CharField()
    choices = serializers.DictField(child=serializers.CharField())


class EvaluationEmptySerializer(serializers.Serializer):
    pass
