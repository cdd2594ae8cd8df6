"""/api/v1/bigscreen/figures: the big screen's figures for the caller's own
node, the same data as the page's feed (ADR 0049), for another display
system. Aggregates only; no personal data."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.errors import NotFound

from .. import selectors


@extend_schema(tags=["指挥中心大屏"])
class FiguresView(APIView):
    permission_classes = [HasCapability.of(Capability.VIEW_BIGSCREEN)]

    @extend_schema(
        summary="大屏数据(本辖区汇总)",
        description=(
            "事项(今日新增、办理中、逾期、严重逾期、近 30 天走势、按分类)、各村(社区)分布、"
            "调解、安全隐患、征迁签约、经济指标和重点项目的汇总数字。"
        ),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        user: Any = request.user
        if user.jurisdiction is None:
            raise NotFound("您的账号没有所属辖区。")
        return Response(selectors.screen_figures(node=user.jurisdiction))
