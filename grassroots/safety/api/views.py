"""/api/v1/safety/: the same services as the pages. Reading needs
VIEW_SAFETY; registering and correcting premises INSPECT_SAFETY; closing and
taking back into use MANAGE_SAFETY. Rows outside the caller's subtree answer
404; rule violations are RFC 7807 problems with Chinese messages and change
nothing. The operator's phone is only answered masked."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.addresses.models import Address
from grassroots.core.inputs import input_from
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.regions.models import Node

from .. import selectors
from ..models import Hazard, Premises, PremisesKind, RiskLevel
from ..services import checklists, hazards
from ..services import premises as services
from ..services.premises import PremisesInput
from ..states import HazardState, State
from . import serializers as s

TAG = "安全检查"
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明;未作任何改动)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="场所、节点或标准地址不存在,或不在本人辖区内"),
    409: OpenApiResponse(description="场所当前状态不允许此操作,或已被他人处理(未作任何改动)"),
}
CanView = HasCapability.of(Capability.VIEW_SAFETY)
CanInspect = HasCapability.of(Capability.INSPECT_SAFETY)
CanManage = HasCapability.of(Capability.MANAGE_SAFETY)


def _body(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def _input(request: Request) -> PremisesInput:
    data = _body(s.SafetyPremisesInputSerializer, request)
    node = get_in_scope_or_404(Node.objects.all(), request.user, pk=data.pop("node"))
    address_id = data.pop("address", None)
    address = get_in_scope_or_404(Address.objects.all(), request.user, pk=address_id) if address_id else None
    return input_from(PremisesInput, data, node=node, address=address)


@extend_schema(tags=[TAG])
class PremisesViewSet(viewsets.GenericViewSet):
    """安全检查场所:仓库、院落、废弃厂房、九小场所和重点行业企业。"""

    serializer_class = s.SafetyPremisesSerializer
    PERMISSIONS: dict[str, type[BasePermission]] = {
        "create": CanInspect,
        "update": CanInspect,
        "close": CanManage,
        "reopen": CanManage,
    }

    def get_permissions(self) -> list[BasePermission]:
        return [self.PERMISSIONS.get(self.action or "", CanView)()]

    def get_queryset(self) -> QuerySet[Premises]:
        return selectors.premises_visible_to(user=self.request.user)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Outside the subtree is 404 before the body is read (ADR 0030).
        if kwargs.get("pk") is not None:
            self._premises(kwargs["pk"])

    def _premises(self, pk: Any) -> Premises:
        return selectors.premises_get_visible(user=self.request.user, pk=pk)

    def _answer(self, premises: Premises, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.SafetyPremisesSerializer(self.get_queryset().get(pk=premises.pk)).data, status=code)

    @extend_schema(
        summary="场所列表(本人辖区;q 按名称、经营者、地址搜索,两个字即可)",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="场所名称、经营者、地址等"),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, description="类型:nine_small(全部九小场所)、" + "、".join(PremisesKind.values)
            ),
            OpenApiParameter("risk_level", OpenApiTypes.STR, description="风险等级:" + "、".join(RiskLevel.values)),
            OpenApiParameter("state", OpenApiTypes.STR, description="状态:" + "、".join(State.values)),
        ],
        responses={200: s.SafetyPremisesSerializer(many=True), **ERRORS},
    )
    def list(self, request: Request) -> Response:
        params = s.SafetyPremisesFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        rows = selectors.premises_filtered(
            user=request.user,
            query=data.get("q") or "",
            kind=data.get("kind") or "",
            risk_level=data.get("risk_level") or "",
            state=data.get("state") or "",
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.SafetyPremisesSerializer(page, many=True).data)

    @extend_schema(summary="场所详情", responses={200: s.SafetyPremisesSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._answer(self._premises(pk))

    @extend_schema(
        summary="登记场所",
        request=s.SafetyPremisesInputSerializer,
        responses={201: s.SafetyPremisesSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        premises = services.premises_create(actor=request.user, data=_input(request))
        return self._answer(premises, status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改场所信息(在用的场所)",
        request=s.SafetyPremisesInputSerializer,
        responses={200: s.SafetyPremisesSerializer, **ERRORS},
    )
    def update(self, request: Request, pk: Any = None) -> Response:
        premises = self._premises(pk)
        return self._answer(services.premises_edit(actor=request.user, premises=premises, data=_input(request)))

    @extend_schema(summary="场所记录", responses={200: s.SafetyPremisesEventSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: Any = None) -> Response:
        rows = selectors.premises_events(premises=self._premises(pk))
        return Response(s.SafetyPremisesEventSerializer(rows, many=True).data)

    @extend_schema(
        summary="关停场所(须说明原因)",
        request=s.SafetyReasonSerializer,
        responses={200: s.SafetyPremisesSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        data = _body(s.SafetyReasonSerializer, request)
        premises = services.premises_close(actor=request.user, premises=self._premises(pk), reason=data["reason"])
        return self._answer(premises)

    @extend_schema(summary="恢复使用", request=None, responses={200: s.SafetyPremisesSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: Any = None) -> Response:
        return self._answer(services.premises_reopen(actor=request.user, premises=self._premises(pk)))


CanPublish = HasCapability.of(Capability.MANAGE_CHECKLISTS)


@extend_schema(tags=[TAG])
class ChecklistViewSet(viewsets.GenericViewSet):
    """安全检查表:按场所类型使用,每项附法律依据;版本从新到旧,第一个为现行版本。"""

    serializer_class = s.SafetyChecklistSerializer
    PERMISSIONS: dict[str, type[BasePermission]] = {"publish": CanPublish}

    def get_permissions(self) -> list[BasePermission]:
        return [self.PERMISSIONS.get(self.action or "", CanView)()]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if kwargs.get("pk") is not None:
            selectors.checklist_get(pk=kwargs["pk"])

    @extend_schema(
        summary="检查表列表(含各版本及检查项)", responses={200: s.SafetyChecklistSerializer(many=True), **ERRORS}
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.checklists_all())
        return self.get_paginated_response(s.SafetyChecklistSerializer(page, many=True).data)

    @extend_schema(summary="检查表详情", responses={200: s.SafetyChecklistSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.SafetyChecklistSerializer(selectors.checklist_get(pk=pk)).data)

    @extend_schema(
        summary="发布新版本(已有检查记录不变)",
        request=s.SafetyChecklistPublishSerializer,
        responses={201: s.SafetyChecklistSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        data = _body(s.SafetyChecklistPublishSerializer, request)
        checklist = selectors.checklist_get(pk=pk)
        checklists.checklist_publish(
            actor=request.user,
            checklist=checklist,
            items=[checklists.ItemInput(**item) for item in data["items"]],
            note=data.get("note") or "",
        )
        return Response(
            s.SafetyChecklistSerializer(selectors.checklist_get(pk=pk)).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=[TAG])
class HazardViewSet(viewsets.GenericViewSet):
    """安全隐患:下达整改通知 → 登记整改 → 复查销号,或移交执法;逾期的每日自动督办。"""

    serializer_class = s.SafetyHazardSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    PERMISSIONS: dict[str, type[BasePermission]] = {
        "issue_notice": CanInspect,
        "rectify": CanInspect,
        "reinspect": CanInspect,
        "refer": CanManage,
    }

    def get_permissions(self) -> list[BasePermission]:
        return [self.PERMISSIONS.get(self.action or "", CanView)()]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if kwargs.get("pk") is not None:
            self._hazard(kwargs["pk"])

    def _hazard(self, pk: Any) -> Hazard:
        return selectors.hazard_get_visible(user=self.request.user, pk=pk)

    def _answer(self, hazard: Hazard) -> Response:
        return Response(s.SafetyHazardSerializer(self._hazard(hazard.pk)).data)

    @extend_schema(
        summary="隐患列表(本人辖区)",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, description="状态:" + "、".join(HazardState.values)),
            OpenApiParameter("overdue", OpenApiTypes.BOOL, description="只看逾期未整改"),
        ],
        responses={200: s.SafetyHazardSerializer(many=True), **ERRORS},
    )
    def list(self, request: Request) -> Response:
        params = s.SafetyHazardFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = selectors.hazards_filtered(
            user=request.user,
            state=params.validated_data.get("state") or "",
            overdue=params.validated_data["overdue"],
            today=timezone.localdate(),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.SafetyHazardSerializer(page, many=True).data)

    @extend_schema(summary="隐患详情", responses={200: s.SafetyHazardSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._answer(self._hazard(pk))

    @extend_schema(
        summary="下达整改通知(期限按工作日计算)",
        request=s.SafetyDaysSerializer,
        responses={200: s.SafetyHazardSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="issue-notice")
    def issue_notice(self, request: Request, pk: Any = None) -> Response:
        data = _body(s.SafetyDaysSerializer, request)
        return self._answer(hazards.hazard_issue_notice(actor=request.user, hazard=self._hazard(pk), days=data["days"]))

    @extend_schema(
        summary="登记整改(整改后现场照片)",
        request={"multipart/form-data": s.SafetyRectifySerializer},
        responses={200: s.SafetyHazardSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def rectify(self, request: Request, pk: Any = None) -> Response:
        data = _body(s.SafetyRectifySerializer, request)
        hazard = hazards.hazard_rectify(
            actor=request.user, hazard=self._hazard(pk), evidence=data["evidence"], note=data.get("note") or ""
        )
        return self._answer(hazard)

    @extend_schema(
        summary="复查(合格销号;不合格继续整改)",
        request=s.SafetyReinspectSerializer,
        responses={200: s.SafetyHazardSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reinspect(self, request: Request, pk: Any = None) -> Response:
        data = _body(s.SafetyReinspectSerializer, request)
        hazard = hazards.hazard_reinspect(
            actor=request.user,
            hazard=self._hazard(pk),
            passed=data["passed"],
            note=data.get("note") or "",
            days=data.get("days") or 5,
        )
        return self._answer(hazard)

    @extend_schema(
        summary="移交执法", request=s.SafetyReferSerializer, responses={200: s.SafetyHazardSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def refer(self, request: Request, pk: Any = None) -> Response:
        data = _body(s.SafetyReferSerializer, request)
        return self._answer(hazards.hazard_refer(actor=request.user, hazard=self._hazard(pk), record=data["record"]))
