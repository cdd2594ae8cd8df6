"""Serializers of the indicator API (names prefixed `Indicator…`). Figures
travel as strings (Decimal, no float rounding); the computed columns are
answered with the row. Errors are in Chinese; the rules themselves are
checked by services/."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from grassroots.core.api.fields import IdField, MonthField, text_field

from ..models import Indicator, Ledger


class IndicatorDefinitionSerializer(serializers.ModelSerializer):
    unit_display = serializers.CharField(source="get_unit_display", read_only=True)
    scope_display = serializers.CharField(source="get_scope_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "name",
            "unit",
            "unit_display",
            "scope",
            "scope_display",
            "kind",
            "kind_display",
            "department",
            "order",
            "active",
        ]


class IndicatorLedgerSerializer(serializers.ModelSerializer):
    month = MonthField(read_only=True)
    node_name = serializers.CharField(source="node.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Ledger
        fields = ["id", "node", "node_name", "month", "state", "state_display", "reviewed_at", "locked_at"]


class IndicatorRowSerializer(serializers.Serializer):
    """One line of a month's table: the figure as reported and what the platform computes."""

    indicator = IndicatorDefinitionSerializer()
    value_id = serializers.IntegerField(allow_null=True)
    value = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True)
    monthly = serializers.DecimalField(max_digits=19, decimal_places=4, allow_null=True)
    cumulative = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    yoy_percent = serializers.DecimalField(max_digits=20, decimal_places=1, allow_null=True)
    mom_percent = serializers.DecimalField(max_digits=20, decimal_places=1, allow_null=True)


def row_data(row: Any) -> dict[str, Any]:
    return {
        "indicator": row.indicator,
        "value_id": row.value.pk if row.value else None,
        "value": row.value.value if row.value else None,
        "monthly": row.monthly,
        "cumulative": row.cumulative,
        "yoy_percent": row.yoy,
        "mom_percent": row.mom,
    }


class IndicatorTableSerializer(serializers.Serializer):
    node = serializers.IntegerField()
    month = MonthField()
    ledger = IndicatorLedgerSerializer(allow_null=True)
    rows = IndicatorRowSerializer(many=True)


class IndicatorTableQuerySerializer(serializers.Serializer):
    node = IdField(error_messages={"required": "请指定街道或村(社区)(node)。"})
    month = MonthField(error_messages={"required": "请指定月份(month,YYYY-MM)。"})


class IndicatorValueInputSerializer(serializers.Serializer):
    node = IdField(error_messages={"required": "请指定街道或村(社区)(node)。"})
    month = MonthField(error_messages={"required": "请指定月份(month,YYYY-MM)。"})
    indicator = IdField(error_messages={"required": "请指定指标(indicator)。"})
    value = serializers.CharField(
        max_length=30,
        error_messages={"required": "请填写指标值。", "blank": "请填写指标值。", "max_length": "指标值太长了。"},
    )
    reason = text_field("更正原因", 200, required=False)


class IndicatorImportSerializer(serializers.Serializer):
    file = serializers.FileField(error_messages={"required": "请上传 Excel 文件(file)。", "invalid": "请上传文件。"})


class IndicatorImportResultSerializer(serializers.Serializer):
    imported = serializers.IntegerField()
