"""/api/v1/economy/projects and /plots: the key-project ledger (reading
needs VIEW_ECONOMY, writing MANAGE_ECONOMY; outside the subtree 404)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.api.requests import body_data
from grassroots.core.api.viewsets import ScopedViewSet
from grassroots.core.inputs import input_from

from .. import selectors
from ..models import KeyProject, LandPlot, Tenant
from ..services import milestones, projects, tenants
from . import project_serializers as ps
from . import serializers as s
from .views import ERRORS, TAG, CanManage, CanView, _home, _node


@extend_schema(tags=[TAG])
class ProjectViewSet(ScopedViewSet):
    """重点项目台账:区重点/市重大项目的阶段、下一节点、存在问题和包挂领导。"""

    serializer_class = ps.EconomyProjectSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanManage, "milestones": CanManage, "reach": CanManage}

    def get_queryset(self) -> QuerySet[KeyProject]:
        return selectors.projects_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> KeyProject:
        return selectors.project_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="重点项目列表", responses={200: ps.EconomyProjectSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ps.EconomyProjectSerializer(page, many=True).data)

    @extend_schema(summary="重点项目详情", responses={200: ps.EconomyProjectSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(ps.EconomyProjectSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="登记重点项目(设在本人所在辖区)",
        request=ps.EconomyProjectInputSerializer,
        responses={201: ps.EconomyProjectSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(ps.EconomyProjectInputSerializer, request)
        project = projects.project_save(
            actor=request.user, node=_home(request), data=input_from(projects.ProjectInput, data)
        )
        return Response(ps.EconomyProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="添加项目节点(计划日期和达成后进度均不早于/不低于上一节点)",
        request=ps.EconomyMilestoneInputSerializer,
        responses={201: ps.EconomyProjectSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def milestones(self, request: Request, pk: Any = None) -> Response:
        project = self.visible(pk)
        data = body_data(ps.EconomyMilestoneInputSerializer, request)
        milestones.milestone_add(
            actor=request.user,
            project=project,
            name=data["name"],
            planned_on=data["planned_on"],
            progress=data["progress"],
        )
        return Response(ps.EconomyProjectSerializer(self.visible(pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="下一个未达成的节点标记为达成(项目进度随之更新)",
        request=ps.EconomyMilestoneReachSerializer,
        responses={200: ps.EconomyProjectSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reach(self, request: Request, pk: Any = None) -> Response:
        project = self.visible(pk)
        data = body_data(ps.EconomyMilestoneReachSerializer, request)
        milestones.milestone_reach(actor=request.user, project=project, day=data["day"])
        return Response(ps.EconomyProjectSerializer(self.visible(pk)).data)


@extend_schema(tags=[TAG])
class PlotViewSet(ScopedViewSet):
    """待腾空地块:腾空、签约、拆除、补偿四个环节同步推进。"""

    serializer_class = s.EconomyPlotSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanManage, "stage": CanManage}

    def get_queryset(self) -> QuerySet[LandPlot]:
        return selectors.plots_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> LandPlot:
        return selectors.plot_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="地块列表", responses={200: s.EconomyPlotSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.EconomyPlotSerializer(page, many=True).data)

    @extend_schema(summary="地块详情", responses={200: s.EconomyPlotSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.EconomyPlotSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="登记地块", request=s.EconomyPlotInputSerializer, responses={201: s.EconomyPlotSerializer, **ERRORS}
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.EconomyPlotInputSerializer, request)
        project = selectors.project_get_visible(user=request.user, pk=data["project"]) if data.get("project") else None
        plot = projects.plot_create(
            actor=request.user,
            village=_node(request, data["village"]),
            name=data["name"],
            area_mu=data["area_mu"],
            project=project,
        )
        return Response(s.EconomyPlotSerializer(plot).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="登记某环节完成日期(day 为空即未完成)",
        request=s.EconomyPlotStageSerializer,
        responses={200: s.EconomyPlotSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def stage(self, request: Request, pk: Any = None) -> Response:
        plot = self.visible(pk)
        data = body_data(s.EconomyPlotStageSerializer, request)
        plot = projects.plot_stage_set(actor=request.user, plot=plot, stage=data["stage"], day=data.get("day"))
        return Response(s.EconomyPlotSerializer(plot).data)


@extend_schema(tags=[TAG])
class TenantViewSet(ScopedViewSet):
    """园区招商:意向 → 签约 → 入驻,意向或签约的企业可退出。"""

    serializer_class = s.EconomyTenantSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanManage, "sign": CanManage, "settle": CanManage, "withdraw": CanManage}

    def get_queryset(self) -> QuerySet[Tenant]:
        return selectors.tenants_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> Tenant:
        return selectors.tenant_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="入驻企业列表", responses={200: s.EconomyTenantSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.EconomyTenantSerializer(page, many=True).data)

    @extend_schema(summary="入驻企业详情", responses={200: s.EconomyTenantSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.EconomyTenantSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="登记意向企业",
        request=s.EconomyTenantInputSerializer,
        responses={201: s.EconomyTenantSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.EconomyTenantInputSerializer, request)
        tenant = tenants.tenant_create(
            actor=request.user,
            project=selectors.project_get_visible(user=request.user, pk=data["project"]),
            company=data["company"],
            area_m2=data["area_m2"],
            annual_rent=data.get("annual_rent") or Decimal("0"),
        )
        return Response(s.EconomyTenantSerializer(tenant).data, status=status.HTTP_201_CREATED)

    def _act(self, pk: Any, action: str) -> Response:
        tenant = tenants.tenant_act(actor=self.request.user, tenant=self.visible(pk), action=action)
        return Response(s.EconomyTenantSerializer(tenant).data)

    @extend_schema(summary="签约", request=None, responses={200: s.EconomyTenantSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: Any = None) -> Response:
        return self._act(pk, "sign")

    @extend_schema(summary="入驻", request=None, responses={200: s.EconomyTenantSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def settle(self, request: Request, pk: Any = None) -> Response:
        return self._act(pk, "settle")

    @extend_schema(summary="退出", request=None, responses={200: s.EconomyTenantSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        return self._act(pk, "withdraw")
