"""/api/v1/relocation/: the same services as the pages. Reading needs
VIEW_RELOCATION; each stage (`POST units/{id}/sign` …) and the handover to
the mediation centre WORK_RELOCATION. Rows outside the caller's subtree
answer 404 before the body is read; rule violations are RFC 7807 problems
with Chinese messages and change nothing. The household head is answered
masked."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.api.requests import body_data, query_data
from grassroots.core.api.viewsets import ScopedViewSet

from .. import selectors
from ..models import Batch, Project, Unit
from ..selectors import progress
from ..services.assignments import ReassignInput, units_reassign
from ..services.projects import BatchEdit, ProjectEdit, batch_update, project_update
from ..services.units import StageInput, unit_advance, unit_hand_over
from ..states import Action
from . import serializers as s

TAG = "房屋征迁"
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明;未作任何改动)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="项目或征迁户不存在,或不在本人辖区内"),
    409: OpenApiResponse(description="该户当前环节不允许此操作,或已被他人处理(未作任何改动)"),
}
CanView = HasCapability.of(Capability.VIEW_RELOCATION)
CanManage = HasCapability.of(Capability.MANAGE_RELOCATION)


class CanWork(HasCapability):
    """Stages and the handover: WORK_RELOCATION, or WORK_ASSIGNED_RELOCATION
    (the service then allows only the caller's own units)."""

    capability = Capability.WORK_RELOCATION

    def allowed(self, user: Any) -> bool:
        return user_can(user, Capability.WORK_RELOCATION) or user_can(user, Capability.WORK_ASSIGNED_RELOCATION)


STAGE_RESPONSES = {200: s.RelocationUnitSerializer, **ERRORS}


@extend_schema(tags=[TAG])
class ProjectViewSet(ScopedViewSet):
    """征迁项目及其实时签约进度(本人辖区内的征迁户)。"""

    serializer_class = s.RelocationProjectSerializer
    permission_classes = [CanView]
    PERMISSIONS: ClassVar[dict[str, type[BasePermission]]] = {"edit": CanManage, "reassign": CanManage}

    def get_queryset(self) -> QuerySet[Project]:
        return selectors.projects_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> Project:
        return selectors.project_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="征迁项目列表", responses={200: s.RelocationProjectSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.RelocationProjectSerializer(page, many=True).data)

    @extend_schema(summary="征迁项目详情", responses={200: s.RelocationProjectSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.RelocationProjectSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="签约进度:各环节(今日、昨日累计)、按批次、村/社区、包户工作人员的签约率",
        responses={200: s.RelocationProgressSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: Any = None) -> Response:
        board = progress.dashboard(user=request.user, project=self.visible(pk), day=timezone.localdate())
        figures = board.figures
        summary = figures.summary

        def groups(rows: list[progress.Row]) -> list[dict[str, Any]]:
            return [
                {"key": r.key, "label": r.label, "total": r.total, "signed": r.signed, "rate": r.rate} for r in rows
            ]

        data = {
            "day": summary.day,
            "total": summary.total,
            "signed": summary.signed,
            "signed_yesterday": summary.signed_yesterday,
            "rate": summary.rate,
            "rounding": progress.ROUNDING_NOTE,
            "stages": [
                {
                    "state": st.state,
                    "label": st.label,
                    "today": st.today,
                    "yesterday": st.yesterday,
                    "change": st.change,
                }
                for st in summary.stages
            ],
            "batches": groups(figures.batches),
            "villages": groups(figures.villages),
            "workers": groups(figures.workers),
        }
        return Response(s.RelocationProgressSerializer(data).data)

    @extend_schema(
        summary="修改项目(名称、类型、实施单位、说明、启动和目标日期;仅街道征迁办公室)",
        request=s.RelocationProjectEditSerializer,
        responses={200: s.RelocationProjectSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def edit(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.RelocationProjectEditSerializer, request)
        project = project_update(actor=request.user, project=self.visible(pk), data=ProjectEdit(**data))
        return Response(s.RelocationProjectSerializer(project).data)

    @extend_schema(
        summary="包户调整:把所选征迁户(或某工作人员在某批次的全部征迁户)改派给另一名工作人员",
        request=s.RelocationReassignSerializer,
        responses={200: s.RelocationReassignResultSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.RelocationReassignSerializer, request)
        whole = not data["units"]
        payload = ReassignInput(
            to_worker=data["to_worker"],
            reason=data["reason"],
            units=data["units"],
            from_worker=data["from_worker"] if whole else None,
            batch=data["batch"] if whole else None,
        )
        moved = units_reassign(actor=request.user, project=self.visible(pk), data=payload)
        return Response(s.RelocationReassignResultSerializer({"moved": moved, "to_worker": data["to_worker"]}).data)


@extend_schema(tags=[TAG])
class BatchViewSet(ScopedViewSet):
    """征迁批次及其目标(计划户数、目标签约率、目标签约日期)。"""

    serializer_class = s.RelocationBatchSerializer
    permission_classes = [CanView]
    PERMISSIONS: ClassVar[dict[str, type[BasePermission]]] = {"edit": CanManage}

    def get_queryset(self) -> QuerySet[Batch]:
        visible = selectors.projects_visible_to(user=self.request.user).values("pk")
        return Batch.objects.filter(project__in=visible)

    def visible(self, pk: Any) -> Batch:
        return selectors.batch_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="批次详情", responses={200: s.RelocationBatchSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.RelocationBatchSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="修改批次(名称、类型、计划户数、目标签约率、目标签约日期;仅街道征迁办公室)",
        request=s.RelocationBatchEditSerializer,
        responses={200: s.RelocationBatchSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def edit(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.RelocationBatchEditSerializer, request)
        batch = batch_update(actor=request.user, batch=self.visible(pk), data=BatchEdit(**data))
        return Response(s.RelocationBatchSerializer(batch).data)


@extend_schema(tags=[TAG])
class UnitViewSet(ScopedViewSet):
    """征迁户:信息确认 → 评估 → 签约 → 腾空 → 拆除 → 补偿到位,每个环节一个 POST。"""

    serializer_class = s.RelocationUnitSerializer
    permission_classes = [CanView]
    PERMISSIONS: ClassVar[dict[str, type[BasePermission]]] = {
        **{a: CanWork for a in Action.values},
        "handover": CanWork,
    }

    def get_queryset(self) -> QuerySet[Unit]:
        return selectors.units_visible_to(user=self.request.user).select_related(
            "batch", "village", "worker", "dispute"
        )

    def visible(self, pk: Any) -> Unit:
        return selectors.unit_get_visible(user=self.request.user, pk=pk)

    def _answer(self, unit: Unit) -> Response:
        return Response(s.RelocationUnitSerializer(self.get_queryset().get(pk=unit.pk)).data)

    @extend_schema(
        summary="征迁户列表(本人辖区;可按项目、批次、村/社区、工作人员、环节筛选)",
        parameters=[s.RelocationUnitFilterSerializer],
        responses={200: s.RelocationUnitSerializer(many=True), **ERRORS},
    )
    def list(self, request: Request) -> Response:
        data = query_data(s.RelocationUnitFilterSerializer, request)
        rows = self.get_queryset()
        for name in ("project", "batch", "village", "worker"):
            if data.get(name):
                rows = rows.filter(**{f"{name}_id": data[name]})
        if data.get("state"):
            rows = rows.filter(state=data["state"])
        if data.get("mine"):
            rows = rows.filter(worker=request.user)
        page = self.paginate_queryset(rows.order_by("project_id", "number", "id"))
        return self.get_paginated_response(s.RelocationUnitSerializer(page, many=True).data)

    @extend_schema(summary="征迁户详情", responses={200: s.RelocationUnitSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._answer(self.visible(pk))

    def _stage(self, request: Request, pk: Any, name: str) -> Response:
        data = body_data(s.RelocationStageSerializer, request)
        stage = StageInput(on=data.get("on"), amount=data.get("amount"), note=data.get("note") or "")
        return self._answer(unit_advance(actor=request.user, unit=self.visible(pk), action=name, data=stage))

    @extend_schema(summary="信息确认", request=s.RelocationStageSerializer, responses=STAGE_RESPONSES)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        return self._stage(request, pk, Action.CONFIRM)

    @extend_schema(summary="评估(须填评估金额)", request=s.RelocationStageSerializer, responses=STAGE_RESPONSES)
    @action(detail=True, methods=["post"])
    def assess(self, request: Request, pk: Any = None) -> Response:
        return self._stage(request, pk, Action.ASSESS)

    @extend_schema(summary="签约(须填协议补偿金额)", request=s.RelocationStageSerializer, responses=STAGE_RESPONSES)
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: Any = None) -> Response:
        return self._stage(request, pk, Action.SIGN)

    @extend_schema(summary="腾空", request=s.RelocationStageSerializer, responses=STAGE_RESPONSES)
    @action(detail=True, methods=["post"])
    def vacate(self, request: Request, pk: Any = None) -> Response:
        return self._stage(request, pk, Action.VACATE)

    @extend_schema(summary="拆除", request=s.RelocationStageSerializer, responses=STAGE_RESPONSES)
    @action(detail=True, methods=["post"])
    def demolish(self, request: Request, pk: Any = None) -> Response:
        return self._stage(request, pk, Action.DEMOLISH)

    @extend_schema(summary="补偿到位(须填已付补偿金额)", request=s.RelocationStageSerializer, responses=STAGE_RESPONSES)
    @action(detail=True, methods=["post"])
    def compensate(self, request: Request, pk: Any = None) -> Response:
        return self._stage(request, pk, Action.COMPENSATE)

    @extend_schema(
        summary="转交调解中心(土地征迁纠纷)",
        request=s.RelocationHandoverSerializer,
        responses={200: s.RelocationUnitSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def handover(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.RelocationHandoverSerializer, request)
        return self._answer(unit_hand_over(actor=request.user, unit=self.visible(pk), reason=data["reason"]))
