"""/api/v1/safety/: hazards and matters linked both ways (ADR 0039), each
its own POST endpoint on the same services as the pages.

- POST matters/{id}/hazard-lead: a resident's 安全隐患 matter becomes a
  hazard lead at a premises of its village (or one registered with it).
- POST hazards/{id}/open-matter: a serious hazard opens its matter (201), or
  answers the one it already has (200).

A matter or hazard outside the caller's subtree answers 404 before the body
is read; rule violations are RFC 7807 problems in Chinese and write nothing."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.api.fields import IdField, choice_field, text_field
from grassroots.core.api.viewsets import ScopedViewSet
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.matters.models import Matter
from grassroots.matters.selectors import matter_get_visible

from .. import selectors
from ..models import HazardLevel, Premises, PremisesKind, RiskLevel
from ..services import links as services
from ..services.premises import PremisesInput
from .serializers import SafetyHazardSerializer

TAG = "安全检查"
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明;未作任何改动)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="事项、隐患或场所不存在,或不在本人辖区内"),
    409: OpenApiResponse(description="事项或隐患当前状态不允许此操作(未作任何改动)"),
}


class CanLead(HasCapability):
    """Inspecting staff who also see matters (a lead starts from a matter)."""

    capability = Capability.INSPECT_SAFETY

    def allowed(self, user: Any) -> bool:
        return user_can(user, Capability.INSPECT_SAFETY) and user_can(user, Capability.VIEW_MATTERS)


CanInspect = HasCapability.of(Capability.INSPECT_SAFETY)


class SafetyNewPremisesSerializer(serializers.Serializer):
    name = text_field("场所名称", 100)
    kind = choice_field("场所类型", PremisesKind.choices)
    operator_name = text_field("经营者/负责人", 50)
    operator_phone = text_field("联系电话", 20, required=False)
    location = text_field("位置说明", 200, required=False)


class SafetyLeadSerializer(serializers.Serializer):
    description = text_field("隐患描述", 200)
    level = choice_field("隐患等级", HazardLevel.choices, required=False)
    legal_basis = text_field("法律依据", 300, required=False)
    premises = IdField(required=False, help_text="本村/社区在用的场所;与 new_premises 二选一")
    new_premises = SafetyNewPremisesSerializer(required=False, help_text="在事项发生地登记的新场所")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("premises" in attrs) == ("new_premises" in attrs):
            raise serializers.ValidationError(
                {"premises": "请选择隐患所在的场所(premises),或登记新场所(new_premises),二选一。"}
            )
        return attrs


class SafetyOpenedMatterSerializer(serializers.ModelSerializer):
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    hazard = serializers.SerializerMethodField()

    class Meta:
        model = Matter
        fields = ["id", "number", "title", "state", "state_display", "category", "urgency", "hazard"]
        read_only_fields = fields

    def get_hazard(self, obj: Matter) -> int | None:
        return self.context.get("hazard")


def _lead_input(request: Request, matter: Matter) -> services.LeadInput:
    body = SafetyLeadSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = body.validated_data
    premises = new = None
    if "premises" in data:
        premises = get_in_scope_or_404(Premises.objects.all(), request.user, pk=data["premises"])
    else:
        fresh = data["new_premises"]
        node = services.lead_node(matter)
        address = (
            matter.address
            if matter.address_id and matter.address and matter.address.path.startswith(node.path)
            else None
        )
        new = PremisesInput(
            name=fresh["name"],
            kind=fresh["kind"],
            risk_level=RiskLevel.GENERAL,
            node=node,
            operator_name=fresh["operator_name"],
            operator_phone=fresh.get("operator_phone") or "",
            address=address,
            location=fresh.get("location") or "",
        )
    return services.LeadInput(
        description=data["description"],
        level=data.get("level") or HazardLevel.GENERAL,
        legal_basis=data.get("legal_basis") or "",
        premises=premises,
        new_premises=new,
    )


@extend_schema(tags=[TAG])
class SafetyMatterLeadViewSet(ScopedViewSet):
    """群众反映的“安全隐患”类事项转为隐患线索。"""

    permission_classes = [CanLead]
    serializer_class = SafetyHazardSerializer

    def visible(self, pk: Any) -> Matter:
        return matter_get_visible(user=self.request.user, pk=pk)

    @extend_schema(
        summary="事项转为安全隐患线索(选择本村场所或登记新场所)",
        request=SafetyLeadSerializer,
        responses={201: SafetyHazardSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="hazard-lead")
    def hazard_lead(self, request: Request, pk: Any = None) -> Response:
        matter = self.visible(pk)
        hazard = services.hazard_from_matter(actor=request.user, matter=matter, data=_lead_input(request, matter))
        fresh = selectors.hazard_get_visible(user=request.user, pk=hazard.pk)
        return Response(SafetyHazardSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class SafetyHazardMatterViewSet(ScopedViewSet):
    """重大隐患一键建立事项(幂等:已有关联事项时返回该事项)。"""

    permission_classes: list[type[BasePermission]] = [CanInspect]
    serializer_class = SafetyOpenedMatterSerializer

    def visible(self, pk: Any) -> Any:
        return selectors.hazard_get_visible(user=self.request.user, pk=pk)

    @extend_schema(
        summary="重大隐患建立事项(已建立时返回原事项,200)",
        request=None,
        responses={201: SafetyOpenedMatterSerializer, 200: SafetyOpenedMatterSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="open-matter")
    def open_matter(self, request: Request, pk: Any = None) -> Response:
        hazard = self.visible(pk)
        matter, created = services.hazard_open_matter(actor=request.user, hazard=hazard)
        answer = SafetyOpenedMatterSerializer(matter, context={"hazard": hazard.pk}).data
        return Response(answer, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
