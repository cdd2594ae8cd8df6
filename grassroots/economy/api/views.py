"""/api/v1/economy/: the same services as the pages. Reading needs
VIEW_ECONOMY; recording income RECORD_INCOME; companies, shares,
projections and distribution plans MANAGE_ECONOMY. Rows outside the
caller's subtree answer 404; rule violations are RFC 7807 problems with
Chinese messages and change nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.api.requests import body_data, query_data
from grassroots.core.api.viewsets import ScopedViewSet
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.regions.models import Node

from .. import selectors
from ..models import Company, DistributionPlan, IncomeEntry
from ..services import companies, distribution, income, meeting
from ..services.companies import Holding
from . import serializers as s

TAG = "集体经济"
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明;未作任何改动)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="对象或村/社区不存在,或不在本人辖区内"),
    409: OpenApiResponse(description="分配方案当前状态不允许此操作,或已被他人处理(未作任何改动)"),
}
CanView = HasCapability.of(Capability.VIEW_ECONOMY)
CanRecord = HasCapability.of(Capability.RECORD_INCOME)
CanManage = HasCapability.of(Capability.MANAGE_ECONOMY)


def _node(request: Request, pk: Any) -> Node:
    return get_in_scope_or_404(Node.objects.all(), request.user, pk=pk)


def _holdings(request: Request, rows: list[dict[str, Any]]) -> list[Holding]:
    return [
        Holding(village=_node(request, row["village"]), contribution=row["contribution"], share=row["share"])
        for row in rows
    ]


def _home(request: Request) -> Node:
    node = getattr(request.user, "jurisdiction", None)
    return _node(request, node.pk if node is not None else 0)


@extend_schema(tags=[TAG])
class CompanyViewSet(ScopedViewSet):
    """平台公司:股东村/社区、出资额和持股比例(变更时保留历史,任一日期合计 100%)。"""

    serializer_class = s.EconomyCompanySerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanManage, "change_shares": CanManage}

    def get_queryset(self) -> QuerySet[Company]:
        return selectors.companies_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> Company:
        return selectors.company_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="平台公司列表", responses={200: s.EconomyCompanySerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.EconomyCompanySerializer(page, many=True).data)

    @extend_schema(summary="平台公司详情", responses={200: s.EconomyCompanySerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.EconomyCompanySerializer(self.visible(pk)).data)

    @extend_schema(
        summary="登记平台公司及首批股东(设在本人所在辖区)",
        request=s.EconomyCompanyInputSerializer,
        responses={201: s.EconomyCompanySerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.EconomyCompanyInputSerializer, request)
        committee = data.get("committee")
        company = companies.company_create(
            actor=request.user,
            name=data["name"],
            node=_home(request),
            founded_on=data["founded_on"],
            holdings=_holdings(request, data["shares"]),
            committee=selectors.committee_get_visible(user=request.user, pk=committee) if committee else None,
            note=data.get("note") or "",
        )
        return Response(s.EconomyCompanySerializer(company).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="某日生效的股权(默认今天)",
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="日期,YYYY-MM-DD")],
        responses={200: s.EconomyShareholdingSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def shares(self, request: Request, pk: Any = None) -> Response:
        day = query_data(s.EconomySharesQuerySerializer, request).get("on") or datetime.date.today()
        rows = selectors.company_shares(company=self.visible(pk), day=day)
        return Response(s.EconomyShareholdingSerializer(rows, many=True).data)

    @extend_schema(
        summary="股权变更(原股权在生效日关闭,保留历史)",
        request=s.EconomySharesInputSerializer,
        responses={200: s.EconomyShareholdingSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="change-shares")
    def change_shares(self, request: Request, pk: Any = None) -> Response:
        company = self.visible(pk)
        data = body_data(s.EconomySharesInputSerializer, request)
        rows = companies.shares_change(
            actor=request.user,
            company=company,
            holdings=_holdings(request, data["shares"]),
            valid_from=data["valid_from"],
        )
        return Response(s.EconomyShareholdingSerializer(rows, many=True).data)


@extend_schema(tags=[TAG])
class IncomeViewSet(ScopedViewSet):
    """村/社区集体收入:按来源和月份登记;预计与实际对比。"""

    serializer_class = s.EconomyIncomeSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanRecord, "target": CanManage}

    def get_queryset(self) -> QuerySet[IncomeEntry]:
        return selectors.income_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> IncomeEntry:
        return selectors.income_get_visible(user=self.request.user, pk=pk)

    @extend_schema(
        summary="收入列表(本人辖区)",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="年度")],
        responses={200: s.EconomyIncomeSerializer(many=True), **ERRORS},
    )
    def list(self, request: Request) -> Response:
        data = query_data(s.EconomyIncomeFilterSerializer, request)
        page = self.paginate_queryset(selectors.income_filtered(user=request.user, year=data.get("year")))
        return self.get_paginated_response(s.EconomyIncomeSerializer(page, many=True).data)

    @extend_schema(summary="收入详情", responses={200: s.EconomyIncomeSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.EconomyIncomeSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="登记一个月某来源的收入",
        request=s.EconomyIncomeInputSerializer,
        responses={201: s.EconomyIncomeSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.EconomyIncomeInputSerializer, request)
        entry = income.income_record(
            actor=request.user,
            village=_node(request, data["village"]),
            month=data["month"],
            source=data["source"],
            amount=data["amount"],
            project=data.get("project") or "",
            note=data.get("note") or "",
        )
        return Response(s.EconomyIncomeSerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="各村/社区某年度预计与实际收入",
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="年度(默认今年)")],
        responses={200: s.EconomyVillageYearSerializer(many=True), **ERRORS},
    )
    @action(detail=False, methods=["get"], url_path="by-village", pagination_class=None)
    def by_village(self, request: Request) -> Response:
        year = query_data(s.EconomyIncomeFilterSerializer, request).get("year") or datetime.date.today().year
        rows = selectors.income_by_village(user=request.user, year=year)
        return Response(s.EconomyVillageYearSerializer(rows, many=True).data)

    @extend_schema(
        summary="设定村/社区某年度的预计收入",
        request=s.EconomyTargetInputSerializer,
        responses={200: s.EconomyVillageYearSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def target(self, request: Request) -> Response:
        data = body_data(s.EconomyTargetInputSerializer, request)
        village = _node(request, data["village"])
        income.target_set(actor=request.user, village=village, year=data["year"], amount=data["amount"])
        row = next(r for r in selectors.income_by_village(user=request.user, year=data["year"]) if r.village == village)
        return Response(s.EconomyVillageYearSerializer(row).data)


@extend_schema(tags=[TAG])
class PlanViewSet(ScopedViewSet):
    """年度收益分配方案:草拟 → 提交议事 → 议事通过/退回 → 公示 → 已分配;按股权精确到分,合计等于可分配利润。"""

    serializer_class = s.EconomyPlanSerializer
    permission_classes = [CanView]
    PERMISSIONS = {
        "create": CanManage,
        "recompute": CanManage,
        "submit": CanManage,
        "approve": CanManage,
        "read_resolution": CanManage,
        "return_": CanManage,
        "publish": CanManage,
        "distribute": CanManage,
    }

    def get_queryset(self) -> QuerySet[DistributionPlan]:
        return selectors.plans_visible_to(user=self.request.user).prefetch_related("lines__village")

    def visible(self, pk: Any) -> DistributionPlan:
        return selectors.plan_get_visible(user=self.request.user, pk=pk)

    def _answer(self, plan: DistributionPlan, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.EconomyPlanSerializer(self.get_queryset().get(pk=plan.pk)).data, status=code)

    @extend_schema(summary="分配方案列表", responses={200: s.EconomyPlanSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.EconomyPlanSerializer(page, many=True).data)

    @extend_schema(
        summary="分配方案详情(各村金额合计等于可分配利润)", responses={200: s.EconomyPlanSerializer, **ERRORS}
    )
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._answer(self.visible(pk))

    @extend_schema(
        summary="编制并计算分配方案",
        request=s.EconomyPlanInputSerializer,
        responses={201: s.EconomyPlanSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.EconomyPlanInputSerializer, request)
        plan = distribution.plan_create(
            actor=request.user,
            company=selectors.company_get_visible(user=request.user, pk=data["company"]),
            year=data["year"],
            total=data["total"],
            shares_on=data.get("shares_on"),
            note=data.get("note") or "",
        )
        return self._answer(plan, status.HTTP_201_CREATED)

    @extend_schema(summary="分配方案记录", responses={200: s.EconomyPlanEventSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: Any = None) -> Response:
        return Response(s.EconomyPlanEventSerializer(selectors.plan_events(plan=self.visible(pk)), many=True).data)

    @extend_schema(
        summary="重新计算(草拟或退回的方案)",
        request=s.EconomyRecomputeSerializer,
        responses={200: s.EconomyPlanSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def recompute(self, request: Request, pk: Any = None) -> Response:
        plan = self.visible(pk)
        data = body_data(s.EconomyRecomputeSerializer, request)
        return self._answer(
            distribution.plan_recompute(actor=request.user, plan=plan, total=data["total"], shares_on=data["shares_on"])
        )

    @extend_schema(summary="提交议事", request=None, responses={200: s.EconomyPlanSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self._answer(meeting.plan_submit(actor=request.user, plan=self.visible(pk)))

    @extend_schema(
        summary="读取议事会议的表决结果(通过则议事通过,未通过则退回)",
        request=None,
        responses={200: s.EconomyPlanSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="read-resolution")
    def read_resolution(self, request: Request, pk: Any = None) -> Response:
        return self._answer(meeting.plan_read_resolution(actor=request.user, plan=self.visible(pk)))

    @extend_schema(
        summary="登记议事通过(议事会议表决结果)",
        request=s.EconomyResolutionSerializer,
        responses={200: s.EconomyPlanSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        plan = self.visible(pk)
        data = body_data(s.EconomyResolutionSerializer, request)
        return self._answer(distribution.plan_approve(actor=request.user, plan=plan, resolution=data["resolution"]))

    @extend_schema(
        summary="退回修改(须说明原因)",
        request=s.EconomyReasonSerializer,
        responses={200: s.EconomyPlanSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        plan = self.visible(pk)
        data = body_data(s.EconomyReasonSerializer, request)
        return self._answer(distribution.plan_return(actor=request.user, plan=plan, reason=data["reason"]))

    @extend_schema(summary="公示", request=None, responses={200: s.EconomyPlanSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        return self._answer(meeting.plan_publish(actor=request.user, plan=self.visible(pk)))

    @extend_schema(summary="确认已分配", request=None, responses={200: s.EconomyPlanSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def distribute(self, request: Request, pk: Any = None) -> Response:
        return self._answer(meeting.plan_distribute(actor=request.user, plan=self.visible(pk)))
