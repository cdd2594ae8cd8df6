"""/api/v1/safety/statistics: the figures of the statistics page (the same
selector, the same filters: a month and a village or grid), per place, per
premises kind and per month. Needs VIEW_SAFETY; scoped to the caller's subtree."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.core.api.fields import IdField, MonthField
from grassroots.core.api.requests import query_data
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.regions.models import Node

from .. import selectors
from ..services.premises import PLACE_LEVELS
from .views import ERRORS, TAG, CanView


class SafetyStatRowSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="村/社区、网格、场所类型或“合计”")
    key = serializers.CharField(help_text="节点编号(按地点)或场所类型代码(按类型);合计为空")
    premises = serializers.IntegerField(help_text="在用场所")
    inspections = serializers.IntegerField(help_text="检查次数")
    hazards = serializers.IntegerField(help_text="发现隐患")
    major = serializers.IntegerField(help_text="重大隐患")
    general = serializers.IntegerField(help_text="一般隐患")
    noticed = serializers.IntegerField(help_text="已下达整改通知")
    closed = serializers.IntegerField(help_text="已销号")
    referred = serializers.IntegerField(help_text="移交执法")
    overdue = serializers.IntegerField(help_text="逾期未整改")
    rate = serializers.FloatField(help_text="整改率(%)= 已销号 ÷ 已下达整改通知")


class SafetyMonthRowSerializer(serializers.Serializer):
    month = MonthField()
    inspections = serializers.IntegerField(help_text="检查次数")
    hazards = serializers.IntegerField(help_text="发现隐患")
    closed = serializers.IntegerField(help_text="销号隐患")


class SafetyStatisticsSerializer(serializers.Serializer):
    month = MonthField(allow_null=True, help_text="统计月份;null 为累计")
    node = serializers.IntegerField(allow_null=True, source="node.pk", help_text="所选村/社区或网格;null 为本人辖区")
    total = SafetyStatRowSerializer()
    places = SafetyStatRowSerializer(many=True, help_text="按村/社区(选了村/社区时按网格)")
    kinds = SafetyStatRowSerializer(many=True, help_text="按场所类型(有数据的类型)")
    trend = SafetyMonthRowSerializer(many=True, help_text="截至所选月份(或本月)的 12 个月,按月")


class SafetyStatisticsFilterSerializer(serializers.Serializer):
    month = MonthField(required=False)
    node = IdField(required=False, help_text="村/社区或网格")


def statistics_node(user: Any, pk: Any) -> Node:
    """A village or grid in the user's subtree (404 outside it)."""
    return get_in_scope_or_404(Node.objects.filter(level__in=PLACE_LEVELS), user, pk=pk)


class StatisticsView(APIView):
    """安全检查统计:与统计页面相同的数字(one object, not a page of rows)."""

    permission_classes = [CanView]

    @extend_schema(
        tags=[TAG],
        summary="安全检查统计(按村/社区或网格、场所类型、月份;整改率、逾期未整改)",
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description="月份 YYYY-MM;省略为累计"),
            OpenApiParameter("node", OpenApiTypes.INT, description="村/社区或网格节点编号;省略为本人辖区"),
        ],
        responses={200: SafetyStatisticsSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        data = query_data(SafetyStatisticsFilterSerializer, request)
        node = statistics_node(request.user, data["node"]) if data.get("node") else None
        stats = selectors.safety_statistics(
            user=request.user, month=data.get("month"), node=node, today=timezone.localdate()
        )
        return Response(SafetyStatisticsSerializer(stats).data)
