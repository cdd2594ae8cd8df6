"""/api/v1/livelihood/: the same services as the pages. Reading needs
VIEW_CARE; recording visits and health rounds RECORD_CARE (turning an
opinion into a matter also RECORD_MATTERS, checked by the service); flags
MANAGE_CARE. Rows outside the caller's subtree answer 404; rule violations
are RFC 7807 problems with Chinese messages and change nothing. People are
only answered masked."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.api.requests import body_data, query_data
from grassroots.core.api.viewsets import ScopedViewSet
from grassroots.core.errors import NotFound
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset
from grassroots.regions.models import Node, Resident

from .. import selectors
from ..models import CareFlag, CareVisit, HealthRound
from ..services import flags, visits
from . import serializers as s

TAG = "民生关爱"
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明;未作任何改动)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="对象不存在,或不在本人辖区内"),
    409: OpenApiResponse(description="当前状态不允许此操作,或已被他人处理(未作任何改动)"),
}
CanView = HasCapability.of(Capability.VIEW_CARE)
CanRecord = HasCapability.of(Capability.RECORD_CARE)
CanManage = HasCapability.of(Capability.MANAGE_CARE)


def _month(request: Request, serializer: type = s.LivelihoodMonthSerializer) -> dict[str, Any]:
    data = query_data(serializer, request)
    data.setdefault("month", selectors.this_month())
    return data


@extend_schema(tags=[TAG])
class GridViewSet(ScopedViewSet):
    """网格的关爱名单和走访覆盖率(本月已走访 / 本月应走访)。"""

    serializer_class = s.LivelihoodCoverageSerializer
    permission_classes = [CanView]
    # A grid's lists and the coverage table come whole (one row per grid or person of one grid).
    pagination_class = None

    def visible(self, pk: Any) -> Node:
        return selectors.grid_get_visible(user=self.request.user, pk=pk)

    @extend_schema(
        summary="各网格各名单的走访覆盖率(month 默认本月)",
        parameters=[s.LivelihoodMonthSerializer],
        responses={200: s.LivelihoodCoverageSerializer(many=True), **ERRORS},
    )
    def list(self, request: Request) -> Response:
        data = _month(request)
        rows = selectors.coverage(user=request.user, month=data["month"])
        return Response(s.LivelihoodCoverageSerializer(rows, many=True).data)

    @extend_schema(
        summary="一个网格的一份名单(脱敏;生日名单为 month 当月)",
        parameters=[s.LivelihoodCareListQuerySerializer],
        responses={200: s.LivelihoodCareRowSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"], url_path="care-list")
    def care_list(self, request: Request, pk: Any = None) -> Response:
        data = _month(request, s.LivelihoodCareListQuerySerializer)
        rows = selectors.care_list(user=request.user, grid=self.visible(pk), kind=data["kind"], month=data["month"])
        return Response(s.LivelihoodCareRowSerializer(rows, many=True).data)


@extend_schema(tags=[TAG])
class VisitViewSet(ScopedViewSet):
    """关爱走访:生日走访、送礼物、关爱走访;走访时收集的意见一步转为说事。"""

    serializer_class = s.LivelihoodVisitSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanRecord, "matter": CanRecord}

    def get_queryset(self) -> QuerySet[CareVisit]:
        return selectors.visits_visible_to(user=self.request.user).order_by("-visited_on", "-id")

    def visible(self, pk: Any) -> CareVisit:
        return selectors.visit_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="走访记录(本人辖区)", responses={200: s.LivelihoodVisitSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.LivelihoodVisitSerializer(page, many=True).data)

    @extend_schema(summary="走访详情", responses={200: s.LivelihoodVisitSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.LivelihoodVisitSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="登记走访(居民须在所选名单上)",
        request=s.LivelihoodVisitInputSerializer,
        responses={201: s.LivelihoodVisitSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.LivelihoodVisitInputSerializer, request)
        resident = get_in_scope_or_404(Resident.objects.select_related("household"), request.user, pk=data["resident"])
        visit = visits.visit_record(
            actor=request.user,
            resident=resident,
            list_kind=data["list_kind"],
            kind=data["kind"],
            visited_on=data.get("visited_on"),
            note=data.get("note") or "",
            opinion=data.get("opinion") or "",
        )
        return Response(s.LivelihoodVisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="走访意见转为说事事项(每次走访一次)",
        request=s.LivelihoodToMatterSerializer,
        responses={201: s.LivelihoodVisitSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def matter(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.LivelihoodToMatterSerializer, request)
        visit = self.visible(pk)
        visits.visit_to_matter(actor=request.user, visit=visit, title=data.get("title") or "")
        return Response(s.LivelihoodVisitSerializer(self.visible(pk)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class HealthRoundViewSet(ScopedViewSet):
    """健康巡诊:地点、日期、服务人数,可登记服务的居民。"""

    serializer_class = s.LivelihoodHealthRoundSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanRecord}

    def get_queryset(self) -> QuerySet[HealthRound]:
        return selectors.health_rounds_visible_to(user=self.request.user).prefetch_related("residents")

    def visible(self, pk: Any) -> HealthRound:
        return selectors.health_round_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="健康巡诊记录", responses={200: s.LivelihoodHealthRoundSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset().order_by("-held_on", "-id"))
        return self.get_paginated_response(s.LivelihoodHealthRoundSerializer(page, many=True).data)

    @extend_schema(summary="健康巡诊详情", responses={200: s.LivelihoodHealthRoundSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.LivelihoodHealthRoundSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="登记健康巡诊",
        request=s.LivelihoodHealthRoundInputSerializer,
        responses={201: s.LivelihoodHealthRoundSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.LivelihoodHealthRoundInputSerializer, request)
        node = get_in_scope_or_404(Node.objects.all(), request.user, pk=data["node"])
        wanted = set(data.get("residents") or [])
        residents = list(scope_queryset(Resident.objects.filter(pk__in=wanted), request.user))
        if len(residents) != len(wanted):
            raise NotFound("所选居民不存在,或不在您的辖区内。")
        health_round = visits.health_round_record(
            actor=request.user,
            node=node,
            place=data["place"],
            held_on=data["held_on"],
            served=data["served"],
            residents=residents,
            note=data.get("note") or "",
        )
        return Response(s.LivelihoodHealthRoundSerializer(health_round).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class FlagViewSet(ScopedViewSet):
    """关爱对象标记:独居老人、残疾人(居民)、低收入家庭(户),注明来源和认定日期。"""

    serializer_class = s.LivelihoodFlagSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanManage, "end": CanManage, "restore": CanManage}

    def get_queryset(self) -> QuerySet[CareFlag]:
        return selectors.flags_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> CareFlag:
        return selectors.flag_get_visible(user=self.request.user, pk=pk)

    @extend_schema(
        summary="关爱对象标记(本人辖区)",
        parameters=[s.LivelihoodFlagFilterSerializer],
        responses={200: s.LivelihoodFlagSerializer(many=True), **ERRORS},
    )
    def list(self, request: Request) -> Response:
        data = query_data(s.LivelihoodFlagFilterSerializer, request)
        rows = selectors.flags_visible_to(user=request.user, kind=data.get("kind") or "")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.LivelihoodFlagSerializer(page, many=True).data)

    @extend_schema(summary="标记详情", responses={200: s.LivelihoodFlagSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.LivelihoodFlagSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="新增标记",
        request=s.LivelihoodFlagInputSerializer,
        responses={201: s.LivelihoodFlagSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.LivelihoodFlagInputSerializer, request)
        resident = get_in_scope_or_404(Resident.objects.select_related("household"), request.user, pk=data["resident"])
        flag = flags.flag_set(
            actor=request.user,
            kind=data["kind"],
            resident=resident,
            source=data["source"],
            since=data["since"],
            note=data.get("note") or "",
        )
        return Response(s.LivelihoodFlagSerializer(flag).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="撤销标记(须写原因)",
        request=s.LivelihoodReasonSerializer,
        responses={200: s.LivelihoodFlagSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.LivelihoodReasonSerializer, request)
        flag = flags.flag_end(actor=request.user, flag=self.visible(pk), reason=data["reason"])
        return Response(s.LivelihoodFlagSerializer(flag).data)

    @extend_schema(summary="恢复标记", request=None, responses={200: s.LivelihoodFlagSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: Any = None) -> Response:
        flag = flags.flag_restore(actor=request.user, flag=self.visible(pk))
        return Response(s.LivelihoodFlagSerializer(flag).data)
