"""/api/v1/field/: the grid worker's offline app (ADR 0054). USE_FIELD_APP
for every endpoint; the snapshot holds the caller's subtree only; each synced
item is checked again by its owning app's service (capability, subtree,
state). Errors are RFC 7807 problems with Chinese messages."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.core.api.requests import body_data, query_data

from .. import selectors
from ..permissions import CanUseFieldApp
from ..services.sync import item_resolve, items_sync
from . import serializers as s

TAG = "网格员离线工作"
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明;未作任何改动)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限"),
}


class SnapshotView(APIView):
    permission_classes = [CanUseFieldApp]

    @extend_schema(
        tags=[TAG],
        summary="下载本人辖区的离线数据(住户脱敏、在办事项、本月关爱名单、核采任务、检查计划)",
        responses={200: s.FieldSnapshotSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        return Response(s.FieldSnapshotSerializer(selectors.field_snapshot(user=request.user)).data)


class SyncView(APIView):
    permission_classes = [CanUseFieldApp]

    @extend_schema(
        tags=[TAG],
        summary="同步离线记录(每次最多 50 条;按同步编号幂等,逐条答复)",
        request=s.FieldSyncBodySerializer,
        responses={200: s.FieldSyncAnswerSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = body_data(s.FieldSyncBodySerializer, request)
        results = items_sync(actor=request.user, items=data["items"])
        return Response({"results": s.FieldResultSerializer(results, many=True).data, "server_time": timezone.now()})


@extend_schema(tags=[TAG])
class ItemViewSet(viewsets.GenericViewSet):
    """本人的同步记录;冲突记录由本人选择处理方式。"""

    serializer_class = s.FieldItemSerializer
    permission_classes = [CanUseFieldApp]
    lookup_field = "key"
    lookup_value_converter = "str"

    def get_queryset(self) -> Any:
        return selectors.sync_items_of(user=self.request.user)

    @extend_schema(
        summary="本人的同步记录(可按状态筛选,如 status=conflict)",
        parameters=[s.FieldItemQuerySerializer],
        responses={200: s.FieldItemSerializer(many=True), **ERRORS},
    )
    def list(self, request: Request) -> Response:
        data = query_data(s.FieldItemQuerySerializer, request)
        rows = selectors.sync_items_of(user=request.user, status=data.get("status", ""))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.FieldItemSerializer(page, many=True).data)

    @extend_schema(
        summary="处理一条冲突记录(同一选择重复提交得到同一结果)",
        request=s.FieldResolveBodySerializer,
        responses={
            200: s.FieldResultSerializer,
            **ERRORS,
            404: OpenApiResponse(description="不是本人的同步记录"),
            409: OpenApiResponse(description="已按其他方式处理"),
        },
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, key: str = "") -> Response:
        data = body_data(s.FieldResolveBodySerializer, request)
        result = item_resolve(actor=request.user, key=key, option=data["option"])
        return Response(s.FieldResultSerializer(result).data)
