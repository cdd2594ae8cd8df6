from __future__ import annotations

from rest_framework import serializers

from grassroots.core.api.fields import text_field

from ..models import ExportRequest


class ExportRequestSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True, help_text="审批单号")
    kind_label = serializers.CharField(read_only=True, help_text="导出内容")
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    requester = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = ExportRequest
        fields = [
            "id",
            "number",
            "kind",
            "kind_label",
            "params",
            "unmasked",
            "estimated_rows",
            "reason",
            "state",
            "state_display",
            "requester",
            "decided_by",
            "decision_reason",
            "decided_at",
            "expires_at",
            "downloads",
            "created_at",
        ]
        read_only_fields = fields

    def get_requester(self, obj: ExportRequest) -> str:
        return str(obj.requester)

    def get_decided_by(self, obj: ExportRequest) -> str:
        return str(obj.decided_by) if obj.decided_by_id else ""


class ReasonSerializer(serializers.Serializer):
    reason = text_field("事由", 500)
