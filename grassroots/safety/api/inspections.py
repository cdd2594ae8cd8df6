"""/api/v1/safety/inspections: the inspection records of the caller's
subtree (filtered by premises, campaign, place and days), one with its
checklist answers, and recording one. Reading needs VIEW_SAFETY, recording
INSPECT_SAFETY. Recording shares the page's input mapping and service
(services.inspections.inspection_input, inspection_record); photos are
uploaded on the inspection page only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.api.fields import DateTimeInputField, IdField, IdListField, choice_field, text_field
from grassroots.core.api.requests import body_data, query_data
from grassroots.core.api.viewsets import ScopedViewSet
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.regions.models import Node

from .. import selectors
from ..errors import SafetyError
from ..models import ChecklistVersion, Inspection, InspectionAnswer, Premises, Result
from ..services import inspections as services
from .views import ERRORS, TAG, CanInspect, CanView

DATE_ERRORS = {"invalid": "日期格式应为 YYYY-MM-DD。"}


class SafetyInspectionSerializer(serializers.ModelSerializer):
    premises_name = serializers.CharField(source="premises.name", read_only=True)
    node_label = serializers.SerializerMethodField()
    checklist_title = serializers.CharField(source="version.checklist.title", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    inspector_names = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "premises",
            "premises_name",
            "node_label",
            "version",
            "checklist_title",
            "version_number",
            "inspected_at",
            "inspector_names",
            "failed",
            "note",
            "created_at",
        ]
        read_only_fields = fields

    def get_node_label(self, obj: Inspection) -> str:
        return str(obj.premises.node.label)

    def get_inspector_names(self, obj: Inspection) -> list[str]:
        return [u.display_name or u.username for u in obj.inspectors.all()]


class SafetyInspectionAnswerSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField(source="item.position", read_only=True)
    text = serializers.CharField(source="item.text", read_only=True)
    legal_basis = serializers.CharField(source="item.legal_basis", read_only=True)
    result_display = serializers.CharField(source="get_result_display", read_only=True)

    class Meta:
        model = InspectionAnswer
        fields = ["item", "position", "text", "legal_basis", "result", "result_display", "note"]
        read_only_fields = fields


class SafetyInspectionDetailSerializer(SafetyInspectionSerializer):
    answers = SafetyInspectionAnswerSerializer(many=True, read_only=True)
    photo_count = serializers.SerializerMethodField(help_text="现场照片张数(照片在检查记录页面查看)")

    class Meta(SafetyInspectionSerializer.Meta):
        fields = [*SafetyInspectionSerializer.Meta.fields, "answers", "photo_count"]
        read_only_fields = fields

    def get_photo_count(self, obj: Inspection) -> int:
        return len(obj.photos.all())


class SafetyInspectionFilterSerializer(serializers.Serializer):
    premises = IdField(required=False, help_text="场所")
    campaign = IdField(required=False, help_text="专项检查:其范围、场所类型和期间内的检查")
    node = IdField(required=False, help_text="村/社区或网格节点")
    date_from = serializers.DateField(required=False, error_messages=DATE_ERRORS)
    date_to = serializers.DateField(required=False, error_messages=DATE_ERRORS)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise serializers.ValidationError({"date_to": "截止日期不能早于起始日期。"})
        return attrs


class SafetyAnswerInputSerializer(serializers.Serializer):
    item = IdField(help_text="检查项")
    result = choice_field("检查结果", Result.choices)
    note = text_field("问题说明", 200, required=False)


class SafetyInspectionInputSerializer(serializers.Serializer):
    """Photos are uploaded on the inspection page only."""

    premises = IdField(help_text="被检查的场所(在用,在本人辖区内)")
    version = IdField(
        required=False, allow_null=True, help_text="检查表版本;省略则用适用于该场所类型的第一张检查表的现行版本"
    )
    answers = SafetyAnswerInputSerializer(
        many=True,
        allow_empty=False,
        max_length=200,
        help_text="每个检查项一条结果;不合格须写明问题",
        error_messages={
            "required": "请填写检查结果。",
            "null": "请填写检查结果。",
            "not_a_list": "检查结果应为列表。",
            "empty": "请填写检查结果。",
            "max_length": "检查结果条数过多。",
            "invalid": "每条检查结果应为对象。",
        },
    )
    inspected_at = DateTimeInputField(
        required=False,
        allow_null=True,
        help_text="检查时间(最近 90 天内);省略为现在",
        error_messages={"invalid": "请输入有效的检查时间(ISO 8601)。", "overflow": "检查时间超出范围。"},
    )
    inspectors = IdListField(
        required=False, max_length=20, help_text="其他检查人员(负责该场所所在地的检查人员);本人自动计入"
    )
    note = text_field("检查情况", 1000, required=False)

    def validate_answers(self, answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        items = [a["item"] for a in answers]
        if len(items) != len(set(items)):
            raise serializers.ValidationError("同一检查项只能填写一次结果。")
        return answers


def _version(premises: Premises, pk: int | None) -> ChecklistVersion:
    versions = services.versions_applicable(premises)
    if not versions:
        raise SafetyError("no_checklist", "没有适用于该场所类型的检查表。", field="version")
    if pk is None:
        return versions[0]
    for version in versions:
        if version.pk == pk:
            return version
    raise SafetyError("version_not_in_force", "该检查表不适用于此场所,或已有新版本,请刷新后重试。", field="version")


def _inspectors(premises: Premises, ids: list[int]) -> list[Any]:
    people = {u.pk: u for u in selectors.inspectors_for(premises=premises)}
    unknown = [pk for pk in ids if pk not in people]
    if unknown:
        raise SafetyError("inspector_invalid", "所选检查人员无效,请重新选择。", field="inspectors")
    return [people[pk] for pk in dict.fromkeys(ids)]


@extend_schema(tags=[TAG])
class InspectionViewSet(ScopedViewSet):
    """安全检查记录:按检查表逐项检查,不合格项写明问题;记录一经保存不再修改。"""

    serializer_class = SafetyInspectionSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanInspect}

    def get_queryset(self) -> QuerySet[Inspection]:
        return selectors.inspections_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> Inspection:
        return selectors.inspection_get_visible(user=self.request.user, pk=pk)

    @extend_schema(
        summary="检查记录列表(本人辖区,最新的在前)",
        parameters=[
            OpenApiParameter("premises", OpenApiTypes.INT, description="场所编号"),
            OpenApiParameter("campaign", OpenApiTypes.INT, description="专项检查编号:计入该行动的检查"),
            OpenApiParameter("node", OpenApiTypes.INT, description="村/社区或网格节点编号"),
            OpenApiParameter("date_from", OpenApiTypes.DATE, description="检查日期起(含)"),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="检查日期止(含)"),
        ],
        responses={200: SafetyInspectionSerializer(many=True), **ERRORS},
    )
    def list(self, request: Request) -> Response:
        data = query_data(SafetyInspectionFilterSerializer, request)
        user = request.user
        premises = selectors.premises_get_visible(user=user, pk=data["premises"]) if data.get("premises") else None
        campaign = selectors.campaign_get_visible(user=user, pk=data["campaign"]) if data.get("campaign") else None
        node = get_in_scope_or_404(Node.objects.all(), user, pk=data["node"]) if data.get("node") else None
        rows = selectors.inspections_filtered(
            user=user,
            premises=premises,
            campaign=campaign,
            node=node,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(SafetyInspectionSerializer(page, many=True).data)

    @extend_schema(summary="检查记录详情(含逐项结果)", responses={200: SafetyInspectionDetailSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(SafetyInspectionDetailSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="记录一次检查(逐项结果、检查人员、时间;现场照片请在检查页面上传)",
        request=SafetyInspectionInputSerializer,
        responses={201: SafetyInspectionDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(SafetyInspectionInputSerializer, request)
        premises = selectors.premises_get_visible(user=request.user, pk=data["premises"])
        version = _version(premises, data.get("version"))
        inspection = services.inspection_record(
            actor=request.user,
            premises=premises,
            data=services.inspection_input(
                version=version,
                answers={a["item"]: (a["result"], a.get("note") or "") for a in data["answers"]},
                inspectors=_inspectors(premises, data.get("inspectors") or []),
                inspected_at=data.get("inspected_at"),
                note=data.get("note") or "",
            ),
        )
        return Response(
            SafetyInspectionDetailSerializer(self.visible(inspection.pk)).data, status=status.HTTP_201_CREATED
        )
