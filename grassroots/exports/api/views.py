"""/api/v1/exports/: the same gate as the pages (ADR 0060).

`GET run/{kind}?…` answers the watermarked file when the export is masked
and within the row limit, else a 403 problem `approval_required` with the
row count; `POST run/{kind}/request?…` {reason} asks for approval.
`requests` are the caller's own; `requests/pending` and approve/reject are
the security administrator's (never on their own request); `download` gives
an approved file to its requester until it expires."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.accounts.permissions import HasCapability
from grassroots.core.api.requests import body_data
from grassroots.core.api.viewsets import ScopedViewSet
from grassroots.core.clientip import client_ip

from .. import permissions, selectors, services
from ..errors import ExportError
from ..gate import file_response
from ..models import ExportRequest
from . import serializers as s

TAG = "导出审批"
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明;未作任何改动)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限,或此导出需审批(approval_required)"),
    404: OpenApiResponse(description="对象不存在,或不属于本人"),
    409: OpenApiResponse(description="当前状态不允许此操作,或已被他人处理(未作任何改动)"),
}
CanRequest = HasCapability.of(permissions.REQUEST)
CanDecide = HasCapability.of(permissions.DECIDE)
XLSX = OpenApiResponse(response=OpenApiTypes.BINARY, description="带水印的 Excel 文件(.xlsx)")
QUERY = [
    OpenApiParameter("node", OpenApiTypes.INT, description="辖区(居民名单)", required=False),
    OpenApiParameter("q", OpenApiTypes.STR, description="关键词(居民名单)", required=False),
    OpenApiParameter("unmasked", OpenApiTypes.STR, enum=["0", "1"], description="1:不脱敏(需审批)", required=False),
]


@extend_schema(tags=[TAG])
class ExportRunView(APIView):
    """导出:已脱敏且不超过行数上限的直接下载(带水印、记审计),否则 403 approval_required。"""

    permission_classes = [CanRequest]

    @extend_schema(summary="导出(经审批闸口)", parameters=QUERY, responses={200: XLSX, **ERRORS})
    def get(self, request: Request, kind: str) -> HttpResponse:
        decision = services.export_decide(actor=request.user, kind_key=kind, query=request.query_params)
        return file_response(services.export_direct(actor=request.user, decision=decision, ip=client_ip(request)))


@extend_schema(tags=[TAG])
class ExportRequestCreateView(APIView):
    """提交导出申请:参数取自查询字符串(与导出相同),由服务端重新解析和计数。"""

    permission_classes = [CanRequest]

    @extend_schema(
        summary="提交导出申请",
        parameters=QUERY,
        request=s.ReasonSerializer,
        responses={201: s.ExportRequestSerializer, **ERRORS},
    )
    def post(self, request: Request, kind: str) -> Response:
        # The kind's capabilities first: a role that may not export it gets 403, not a form error.
        decision = services.export_decide(actor=request.user, kind_key=kind, query=request.query_params)
        data = body_data(s.ReasonSerializer, request)
        if not decision.needs_approval:
            raise ExportError("approval_not_needed", "此导出无需审批,可直接下载。")
        export = services.export_request_create(
            actor=request.user, decision=decision, reason=data["reason"], ip=client_ip(request)
        )
        return Response(s.ExportRequestSerializer(export).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class ExportRequestViewSet(ScopedViewSet):
    """导出申请:本人的申请与下载;安全管理员的待审批列表与批准、驳回。"""

    serializer_class = s.ExportRequestSerializer
    permission_classes = [CanRequest]
    PERMISSIONS = {"pending": CanDecide, "approve": CanDecide, "reject": CanDecide}

    def get_queryset(self) -> Any:
        return selectors.export_requests_of(user=self.request.user).select_related("requester")

    def visible(self, pk: Any) -> ExportRequest:
        if self.action in ("approve", "reject"):
            return selectors.export_request_for_decision(user=self.request.user, pk=pk)
        return selectors.export_request_of(user=self.request.user, pk=pk)

    @extend_schema(summary="本人的导出申请", responses={200: s.ExportRequestSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ExportRequestSerializer(page, many=True).data)

    @extend_schema(summary="导出申请详情", responses={200: s.ExportRequestSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.ExportRequestSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="待审批的导出申请(安全管理员)", responses={200: s.ExportRequestSerializer(many=True), **ERRORS}
    )
    @action(detail=False, methods=["get"])
    def pending(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.export_requests_pending(user=request.user))
        return self.get_paginated_response(s.ExportRequestSerializer(page, many=True).data)

    def _decide(self, request: Request, pk: Any, *, approve: bool) -> Response:
        export = self.visible(pk)
        data = body_data(s.ReasonSerializer, request)
        decide = services.export_request_approve if approve else services.export_request_reject
        export = decide(actor=request.user, export=export, reason=data["reason"], ip=client_ip(request))
        return Response(s.ExportRequestSerializer(export).data)

    @extend_schema(
        summary="批准导出申请", request=s.ReasonSerializer, responses={200: s.ExportRequestSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self._decide(request, pk, approve=True)

    @extend_schema(
        summary="驳回导出申请", request=s.ReasonSerializer, responses={200: s.ExportRequestSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: Any = None) -> Response:
        return self._decide(request, pk, approve=False)

    @extend_schema(summary="下载已批准的导出文件", responses={200: XLSX, **ERRORS})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: Any = None) -> HttpResponse:
        export = self.visible(pk)
        return file_response(services.export_request_download(actor=request.user, export=export, ip=client_ip(request)))
