"""/api/v1/dashboards/: the dashboard of the caller's node (or of `node`, a
node of their subtree; 404 outside it) as JSON, the same figures and links
the page shows (present.dashboard_data). Needs VIEW_DASHBOARD; each panel its
app's capability (a panel the role may not see is absent)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.api.requests import query_data
from grassroots.core.api.schema import SingleObjectSchema

from .. import selectors
from ..present import dashboard_data
from . import serializers as s

TAG = "数据看板"
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="节点不存在,或不在本人辖区内"),
}


@extend_schema(tags=[TAG])
class DashboardViewSet(viewsets.GenericViewSet):
    """各级数据看板:事项按状态、逾期与严重逾期及趋势、下级对比、本周重点村、矛盾纠纷来源、登记办件量、安全检查与隐患、地址核验、征迁签约、关爱走访、经济指标同比。"""

    serializer_class = s.DashboardSerializer
    permission_classes = [HasCapability.of(Capability.VIEW_DASHBOARD)]
    # `list` answers one dashboard (one object; the schema says so too).
    pagination_class = None
    schema = SingleObjectSchema()

    @extend_schema(
        summary="本人辖区(或下级节点)的数据看板",
        parameters=[s.DashboardQuerySerializer],
        responses={200: s.DashboardSerializer, **ERRORS},
    )
    def list(self, request: Request) -> Response:
        query = query_data(s.DashboardQuerySerializer, request)
        node = selectors.dashboard_node(user=request.user, pk=query.get("node"))
        dashboard = selectors.dashboard_for(user=request.user, node=node, days=int(query.get("days") or 30))
        return Response(dashboard_data(dashboard))
