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


class DashboardNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    level = serializers.IntegerField()
    level_label = serializers.CharField()


class DashboardFigureSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    url = serializers.CharField(help_text="该数字背后的记录列表(已按条件筛选)")


class DashboardStateCountSerializer(serializers.Serializer):
    state = serializers.CharField()
    label = serializers.CharField()
    value = serializers.IntegerField()
    url = serializers.CharField()


class DashboardChildSerializer(DashboardNodeSerializer):
    dashboard_url = serializers.CharField()
    open = DashboardFigureSerializer()
    overdue = DashboardFigureSerializer()
    late3 = DashboardFigureSerializer()


class DashboardTrendPointSerializer(serializers.Serializer):
    day = serializers.DateField()
    created = serializers.IntegerField()
    closed = serializers.IntegerField()
    open_at_end = serializers.IntegerField()
    overdue_at_end = serializers.IntegerField()
    late3_at_end = serializers.IntegerField()
    created_url = serializers.CharField()


class DashboardMattersSerializer(serializers.Serializer):
    open = DashboardFigureSerializer()
    overdue = DashboardFigureSerializer()
    late3 = DashboardFigureSerializer(help_text="严重逾期(超时限 3 倍)")
    by_state = DashboardStateCountSerializer(many=True)
    children = DashboardChildSerializer(many=True, help_text="下级(街道的各村/社区,村的各网格)对比")
    trend = DashboardTrendPointSerializer(many=True)


class DashboardVillageLinkSerializer(DashboardNodeSerializer):
    dashboard_url = serializers.CharField()


class DashboardKeyVillagesSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    decided = serializers.BooleanField()
    url = serializers.CharField()
    villages = DashboardVillageLinkSerializer(many=True)


class DashboardSourceSerializer(serializers.Serializer):
    source = serializers.CharField()
    label = serializers.CharField()
    total = DashboardFigureSerializer()
    active = DashboardFigureSerializer()


class DashboardMediationSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    rows = DashboardSourceSerializer(many=True)


class DashboardMonthThroughputSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    accepted = serializers.IntegerField()
    issued = serializers.IntegerField()
    url = serializers.CharField()


class DashboardRegistrationSerializer(serializers.Serializer):
    months = DashboardMonthThroughputSerializer(many=True)


class DashboardSafetyMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    inspections = serializers.IntegerField()
    hazards = serializers.IntegerField()
    closed = serializers.IntegerField()
    url = serializers.CharField()


class DashboardSafetySerializer(serializers.Serializer):
    premises = DashboardFigureSerializer()
    inspections = DashboardFigureSerializer()
    hazards = DashboardFigureSerializer()
    closed = DashboardFigureSerializer()
    overdue = DashboardFigureSerializer()
    rate = serializers.FloatField(help_text="整改率(%)")
    trend = DashboardSafetyMonthSerializer(many=True)


class DashboardAddressesSerializer(serializers.Serializer):
    total = DashboardFigureSerializer()
    verified = DashboardFigureSerializer()
    percent = serializers.CharField(allow_null=True)


class DashboardProjectSerializer(serializers.Serializer):
    project_id = serializers.IntegerField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    signed = serializers.IntegerField()
    rate = serializers.CharField(allow_null=True, help_text="签约率(%),两位小数")
    url = serializers.CharField()


class DashboardRelocationSerializer(serializers.Serializer):
    rows = DashboardProjectSerializer(many=True)


class DashboardCareCellSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    visited = serializers.IntegerField()
    due = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)
    url = serializers.CharField()


class DashboardCareSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    cells = DashboardCareCellSerializer(many=True)


class DashboardIndicatorRowSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    monthly = serializers.CharField()
    cumulative = serializers.CharField()
    yoy = serializers.CharField(help_text="累计同比(显示文本)")
    yoy_value = serializers.FloatField(allow_null=True)
    url = serializers.CharField()


class DashboardIndicatorsSerializer(serializers.Serializer):
    month = serializers.CharField(allow_null=True)
    url = serializers.CharField(allow_null=True)
    rows = DashboardIndicatorRowSerializer(many=True)


class DashboardSerializer(serializers.Serializer):
    """One node's dashboard. A panel the caller's role may not see is absent."""

    node = DashboardNodeSerializer(allow_null=True)
    today = serializers.DateField()
    days = serializers.IntegerField()
    panels = serializers.ListField(child=serializers.CharField())
    matters = DashboardMattersSerializer(required=False)
    key_villages = DashboardKeyVillagesSerializer(required=False)
    mediation = DashboardMediationSerializer(required=False)
    registration = DashboardRegistrationSerializer(required=False)
    safety = DashboardSafetySerializer(required=False)
    addresses = DashboardAddressesSerializer(required=False)
    relocation = DashboardRelocationSerializer(required=False)
    care = DashboardCareSerializer(required=False)
    indicators = DashboardIndicatorsSerializer(required=False)
