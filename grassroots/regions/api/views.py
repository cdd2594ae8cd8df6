from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.scoping import scope_queryset
from grassroots.regions import selectors
from grassroots.regions.models import Level, Node, Resident
from grassroots.regions.personal_data import resident_reveal
from grassroots.regions.presentation import resident_masked, residents_masked

from .serializers import (
    NodeDetailSerializer,
    NodeSerializer,
    ResidentSerializer,
    RevealRequestSerializer,
    RevealResponseSerializer,
)


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise serializers.ValidationError({name: [f"“{raw}”不是有效的编号。"]})
    return int(raw)


@extend_schema(tags=["辖区"])
class NodeViewSet(viewsets.ReadOnlyModelViewSet):
    """辖区五级树:街道 → 村/社区 → 网格 → 楼栋 → 单元。只返回本人辖区内的节点。"""

    permission_classes = [HasCapability.of(Capability.VIEW_TREE)]
    serializer_class = NodeSerializer

    def get_queryset(self) -> QuerySet[Node]:
        return scope_queryset(Node.objects.order_by("path"), self.request.user)

    @extend_schema(
        summary="节点列表",
        parameters=[
            OpenApiParameter("parent", OpenApiTypes.INT, description="只列出该节点的直接下级"),
            OpenApiParameter("level", OpenApiTypes.INT, description="层级:1 街道、2 村/社区、3 网格、4 楼栋、5 单元"),
        ],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.get_queryset()
        parent_id = _int_param(request, "parent")
        level = _int_param(request, "level")
        if level is not None and level not in Level.values:
            raise serializers.ValidationError({"level": ["层级应为 1 到 5。"]})
        if parent_id is not None:
            parent = get_object_or_404(queryset, pk=parent_id)
            queryset = queryset.filter(path__startswith=parent.path, depth=parent.depth + 1)
        if level is not None:
            queryset = queryset.filter(level=level)
        page = self.paginate_queryset(queryset)
        nodes = list(page if page is not None else queryset)
        parent_paths = {n.path[: -n.steplen] for n in nodes if n.depth > 1}
        parent_ids = dict(Node.objects.filter(path__in=parent_paths).values_list("path", "pk"))
        data = NodeSerializer(nodes, many=True, context={"parent_ids": parent_ids}).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    @extend_schema(summary="节点详情(含下辖统计)", responses=NodeDetailSerializer)
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        node = self.get_object()
        node.counts = selectors.node_counts(node=node)
        return Response(NodeDetailSerializer(node).data)


@extend_schema(tags=["居民"])
class ResidentViewSet(viewsets.ReadOnlyModelViewSet):
    """居民信息。身份证号和手机号一律脱敏;查看完整信息须有权限并记入审计日志。"""

    permission_classes = [HasCapability.of(Capability.VIEW_RESIDENTS)]
    serializer_class = ResidentSerializer

    def get_queryset(self) -> QuerySet[Resident]:
        return scope_queryset(Resident.objects.select_related("household").order_by("id"), self.request.user)

    @extend_schema(
        summary="居民列表",
        parameters=[
            OpenApiParameter("node", OpenApiTypes.INT, description="只列出该节点辖区内的居民"),
            OpenApiParameter("q", OpenApiTypes.STR, description="姓名包含,或完整身份证号/手机号精确匹配"),
        ],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        node_id = _int_param(request, "node")
        node = selectors.node_get_visible(user=request.user, node_id=node_id) if node_id is not None else None
        query = request.query_params.get("q", "").strip()
        if len(query) > 50:
            raise serializers.ValidationError({"q": ["搜索内容不能超过 50 个字符。"]})
        queryset = selectors.residents_visible_to(user=request.user, node=node, query=query).select_related("household")
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(ResidentSerializer(residents_masked(page or []), many=True).data)

    @extend_schema(summary="居民详情(脱敏)")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(ResidentSerializer(resident_masked(self.get_object())).data)

    @extend_schema(
        summary="查看完整身份证号和手机号(留痕)", request=RevealRequestSerializer, responses=RevealResponseSerializer
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str | None = None) -> Response:
        resident = self.get_object()
        body = RevealRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = resident_reveal(actor=request.user, resident=resident, reason=body.validated_data["reason"])
        return Response(RevealResponseSerializer(values).data)
