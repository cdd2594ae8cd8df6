"""/api/v1/indicators/: the same services and selectors as the pages.
Reading needs VIEW_INDICATORS; setting and importing figures
ENTER_INDICATORS; reviewing, returning and locking a month
REVIEW_INDICATORS (each its own POST). Nodes and ledgers outside the
caller's subtree answer 404; rule violations are RFC 7807 problems with
Chinese messages and change nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.api.requests import body_data, query_data
from grassroots.core.api.schema import SingleObjectSchema
from grassroots.core.api.viewsets import ScopedViewSet
from grassroots.core.errors import NotFound

from .. import selectors
from ..models import Indicator, Ledger
from ..services import transfer
from ..services.values import value_set
from ..services.workflow import ledger_transition
from ..states import Action
from . import serializers as s

TAG = "经济指标"
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明;未作任何改动)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="节点、指标或月报不存在,或不在本人辖区内"),
    409: OpenApiResponse(description="月报当前状态不允许此操作,或已被他人处理(未作任何改动)"),
}
CanView = HasCapability.of(Capability.VIEW_INDICATORS)
CanEnter = HasCapability.of(Capability.ENTER_INDICATORS)
CanReview = HasCapability.of(Capability.REVIEW_INDICATORS)


@extend_schema(tags=[TAG])
class DefinitionViewSet(viewsets.GenericViewSet):
    """经济指标的定义:名称、计量单位、口径、报送方式(累计或当月)、来源部门。"""

    serializer_class = s.IndicatorDefinitionSerializer
    permission_classes = [CanView]

    @extend_schema(
        summary="指标定义(启用的,按显示顺序)", responses={200: s.IndicatorDefinitionSerializer(many=True), **ERRORS}
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.indicators_active())
        return self.get_paginated_response(s.IndicatorDefinitionSerializer(page, many=True).data)


@extend_schema(tags=[TAG])
class ValueViewSet(viewsets.GenericViewSet):
    """某街道或村(社区)某月的指标表:填报值及平台计算的本月值、累计值、同比、环比。"""

    serializer_class = s.IndicatorTableSerializer
    # `list` answers the month's table, one object (the schema says so too).
    pagination_class = None
    schema = SingleObjectSchema()
    PERMISSIONS: dict[str, type[BasePermission]] = {"create": CanEnter, "import_file": CanEnter}

    def get_permissions(self) -> list[BasePermission]:
        return [self.PERMISSIONS.get(self.action or "", CanView)()]

    def _table(self, node: Any, month: Any) -> Response:
        rows = selectors.indicator_table(node=node, month=month)
        ledger = selectors.ledger_find(node=node, month=month)
        data = {"node": node.pk, "month": month, "ledger": ledger, "rows": [s.row_data(r) for r in rows]}
        return Response(s.IndicatorTableSerializer(data).data)

    @extend_schema(
        summary="某月指标表(node 为街道或村/社区,month 为 YYYY-MM)",
        parameters=[s.IndicatorTableQuerySerializer],
        responses={200: s.IndicatorTableSerializer, **ERRORS},
    )
    def list(self, request: Request) -> Response:
        data = query_data(s.IndicatorTableQuerySerializer, request)
        node = selectors.node_get_visible(user=request.user, pk=data["node"])
        return self._table(node, data["month"])

    @extend_schema(
        summary="填报一个指标值(已锁定的月份须填写更正原因)",
        request=s.IndicatorValueInputSerializer,
        responses={200: s.IndicatorTableSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.IndicatorValueInputSerializer, request)
        node = selectors.node_get_visible(user=request.user, pk=data["node"])
        indicator = Indicator.objects.filter(pk=data["indicator"], active=True).first()
        if indicator is None:
            raise NotFound("没有该指标,或该指标已停用。")
        value_set(
            actor=request.user,
            node=node,
            month=data["month"],
            indicator=indicator,
            value=data["value"],
            reason=data["reason"],
        )
        return self._table(node, data["month"])

    @extend_schema(
        summary="Excel 导入(与导出同列;任何一行有错误则不导入,lines 列出各行错误)",
        request={"multipart/form-data": s.IndicatorImportSerializer},
        responses={201: s.IndicatorImportResultSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="import", url_name="import", parser_classes=[MultiPartParser])
    def import_file(self, request: Request) -> Response:
        data = body_data(s.IndicatorImportSerializer, request)
        count = transfer.indicators_import(actor=request.user, upload=data["file"])
        return Response({"imported": count}, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class LedgerViewSet(ScopedViewSet):
    """指标月报:填报中 → 已审核(由填报人以外的另一人审核)→ 已锁定;已审核可退回填报。"""

    serializer_class = s.IndicatorLedgerSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"review": CanReview, "return_": CanReview, "lock": CanReview}

    def get_queryset(self) -> QuerySet[Ledger]:
        return selectors.ledgers_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> Ledger:
        return selectors.ledger_get_visible(user=self.request.user, pk=pk)

    @extend_schema(
        summary="月报列表(本人辖区,新的在前)", responses={200: s.IndicatorLedgerSerializer(many=True), **ERRORS}
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset().order_by("-month", "path"))
        return self.get_paginated_response(s.IndicatorLedgerSerializer(page, many=True).data)

    @extend_schema(summary="月报详情", responses={200: s.IndicatorLedgerSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.IndicatorLedgerSerializer(self.visible(pk)).data)

    def _move(self, request: Request, pk: Any, move: str) -> Response:
        ledger = ledger_transition(actor=request.user, ledger=self.visible(pk), action=move)
        return Response(s.IndicatorLedgerSerializer(self.visible(ledger.pk)).data)

    @extend_schema(
        summary="审核通过(须为填报人以外的另一人)", request=None, responses={200: s.IndicatorLedgerSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: Any = None) -> Response:
        return self._move(request, pk, Action.REVIEW)

    @extend_schema(summary="退回填报", request=None, responses={200: s.IndicatorLedgerSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        return self._move(request, pk, Action.RETURN)

    @extend_schema(summary="锁定本月", request=None, responses={200: s.IndicatorLedgerSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def lock(self, request: Request, pk: Any = None) -> Response:
        return self._move(request, pk, Action.LOCK)
