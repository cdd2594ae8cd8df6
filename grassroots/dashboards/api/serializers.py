"""The dashboard API's query and answer (the answer is present.dashboard_data;
these serializers describe it for OpenAPI and validate the query)."""

from __future__ import annotations

from rest_framework import serializers

from ..selectors import TREND_SPANS


class DashboardQuerySerializer(serializers.Serializer):
    node = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="节点 id(街道、村/社区或网格;缺省为本人辖区)",
        error_messages={
            "invalid": "节点须为正整数。",
            "min_value": "节点须为正整数。",
            "max_value": "节点不存在。",
        },
    )
    days = serializers.ChoiceField(
        choices=list(TREND_SPANS),
        required=False,
        default=30,
        help_text="事项趋势区间:30 或 90 天",
        error_messages={"invalid_choice": "趋势区间只能是近 30 天或近 90 天。"},
    )


class NodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    level = serializers.IntegerField()
    level_label = serializers.CharField()


class FigureSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    url = serializers.CharField(help_text="该数字背后的记录列表(已按条件筛选)")


class StateCountSerializer(serializers.Serializer):
    state = serializers.CharField()
    label = serializers.CharField()
    value = serializers.IntegerField()
    url = serializers.CharField()


class ChildSerializer(NodeSerializer):
    dashboard_url = serializers.CharField()
    open = FigureSerializer()
    overdue = FigureSerializer()
    late3 = FigureSerializer()


class TrendPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    created = serializers.IntegerField()
    closed = serializers.IntegerField()
    open_at_end = serializers.IntegerField()
    overdue_at_end = serializers.IntegerField()
    late3_at_end = serializers.IntegerField()
    created_url = serializers.CharField()


class MattersSerializer(serializers.Serializer):
    open = FigureSerializer()
    overdue = FigureSerializer()
    late3 = FigureSerializer(help_text="严重逾期(超时限 3 倍)")
    by_state = StateCountSerializer(many=True)
    children = ChildSerializer(many=True, help_text="下级(街道的各村/社区,村的各网格)对比")
    trend = TrendPointSerializer(many=True)


class VillageLinkSerializer(NodeSerializer):
    dashboard_url = serializers.CharField()


class KeyVillagesSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    decided = serializers.BooleanField()
    url = serializers.CharField()
    villages = VillageLinkSerializer(many=True)


class SourceSerializer(serializers.Serializer):
    source = serializers.CharField()
    label = serializers.CharField()
    total = FigureSerializer()
    active = FigureSerializer()


class MediationSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    rows = SourceSerializer(many=True)


class MonthThroughputSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    accepted = serializers.IntegerField()
    issued = serializers.IntegerField()
    url = serializers.CharField()


class RegistrationSerializer(serializers.Serializer):
    months = MonthThroughputSerializer(many=True)


class SafetyMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    inspections = serializers.IntegerField()
    hazards = serializers.IntegerField()
    closed = serializers.IntegerField()
    url = serializers.CharField()


class SafetySerializer(serializers.Serializer):
    premises = FigureSerializer()
    inspections = FigureSerializer()
    hazards = FigureSerializer()
    closed = FigureSerializer()
    overdue = FigureSerializer()
    rate = serializers.FloatField(help_text="整改率(%)")
    trend = SafetyMonthSerializer(many=True)


class AddressesSerializer(serializers.Serializer):
    total = FigureSerializer()
    verified = FigureSerializer()
    percent = serializers.CharField(allow_null=True)


class ProjectSerializer(serializers.Serializer):
    project_id = serializers.IntegerField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    signed = serializers.IntegerField()
    rate = serializers.CharField(allow_null=True, help_text="签约率(%),两位小数")
    url = serializers.CharField()


class RelocationSerializer(serializers.Serializer):
    rows = ProjectSerializer(many=True)


class CareCellSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    visited = serializers.IntegerField()
    due = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)
    url = serializers.CharField()


class CareSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    cells = CareCellSerializer(many=True)


class IndicatorRowSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    monthly = serializers.CharField()
    cumulative = serializers.CharField()
    yoy = serializers.CharField(help_text="累计同比(显示文本)")
    yoy_value = serializers.FloatField(allow_null=True)
    url = serializers.CharField()


class IndicatorsSerializer(serializers.Serializer):
    month = serializers.CharField(allow_null=True)
    url = serializers.CharField(allow_null=True)
    rows = IndicatorRowSerializer(many=True)


class DashboardSerializer(serializers.Serializer):
    """One node's dashboard. A panel the caller's role may not see is absent."""

    node = NodeSerializer(allow_null=True)
    today = serializers.DateField()
    days = serializers.IntegerField()
    panels = serializers.ListField(child=serializers.CharField())
    matters = MattersSerializer(required=False)
    key_villages = KeyVillagesSerializer(required=False)
    mediation = MediationSerializer(required=False)
    registration = RegistrationSerializer(required=False)
    safety = SafetySerializer(required=False)
    addresses = AddressesSerializer(required=False)
    relocation = RelocationSerializer(required=False)
    care = CareSerializer(required=False)
    indicators = IndicatorsSerializer(required=False)
