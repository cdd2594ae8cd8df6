"""/api/v1/safety/campaigns: sweep campaigns (打非治违) over the caller's
place, above it or inside their subtree; one with its coverage per village
and grid (the caller's part of it) and the premises still to inspect;
opening one. Reading needs VIEW_SAFETY, opening MANAGE_SAFETY. Opening shares
the page's input (services.campaigns.CampaignInput) and service."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.api.fields import IdField, text_field
from grassroots.core.api.requests import body_data
from grassroots.core.api.viewsets import ScopedViewSet
from grassroots.core.inputs import input_from
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.regions.models import Node

from .. import selectors
from ..models import Campaign, Premises, PremisesKind
from ..services import campaigns as services
from ..services.campaigns import CampaignInput
from .views import ERRORS, TAG, CanManage, CanView

DATE_ERRORS = {"required": "请填写日期。", "null": "请填写日期。", "invalid": "日期格式应为 YYYY-MM-DD。"}


class SafetyCampaignSerializer(serializers.ModelSerializer):
    node_label = serializers.CharField(source="node.label", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "title", "node", "node_label", "kinds", "starts_on", "due_on", "created_at"]
        read_only_fields = fields


class SafetyGridCoverageSerializer(serializers.Serializer):
    label = serializers.CharField()
    total = serializers.IntegerField(help_text="应检查的在用场所")
    done = serializers.IntegerField(help_text="期间内已检查的场所")
    percent = serializers.FloatField(help_text="覆盖率(%)")


class SafetyVillageCoverageSerializer(SafetyGridCoverageSerializer):
    grids = SafetyGridCoverageSerializer(many=True)


class SafetyTodoSerializer(serializers.ModelSerializer):
    node_label = serializers.CharField(source="node.label", read_only=True)

    class Meta:
        model = Premises
        fields = ["id", "name", "kind", "node", "node_label"]
        read_only_fields = fields


class SafetyCoverageSerializer(serializers.Serializer):
    total = SafetyGridCoverageSerializer(help_text="本人辖区内该行动的场所合计")
    villages = SafetyVillageCoverageSerializer(many=True)
    todo = SafetyTodoSerializer(many=True, help_text="尚未检查的场所(前 30 个)")


class SafetyCampaignDetailSerializer(SafetyCampaignSerializer):
    """A campaign with the coverage of the user (context "user") in it."""

    coverage = serializers.SerializerMethodField()

    class Meta(SafetyCampaignSerializer.Meta):
        fields = [*SafetyCampaignSerializer.Meta.fields, "coverage"]
        read_only_fields = fields

    @extend_schema_field(SafetyCoverageSerializer)
    def get_coverage(self, obj: Campaign) -> dict[str, Any]:
        total, villages, todo = selectors.campaign_coverage(campaign=obj, user=self.context["user"])
        return dict(SafetyCoverageSerializer({"total": total, "villages": villages, "todo": todo}).data)


class SafetyCampaignOpenSerializer(serializers.Serializer):
    """Fields named after `CampaignInput`; `node` is an id."""

    title = text_field("行动名称", 100)
    node = IdField(help_text="范围:街道或村/社区节点")
    kinds = serializers.ListField(
        child=serializers.ChoiceField(
            choices=PremisesKind.choices, error_messages={"invalid_choice": "“{input}”不是有效的场所类型。"}
        ),
        required=False,
        default=list,
        max_length=len(PremisesKind.values),
        help_text="场所类型;不填为全部",
        error_messages={"not_a_list": "场所类型应为列表。", "max_length": "所选场所类型过多。"},
    )
    starts_on = serializers.DateField(error_messages=DATE_ERRORS)
    due_on = serializers.DateField(error_messages=DATE_ERRORS)


@extend_schema(tags=[TAG])
class CampaignViewSet(ScopedViewSet):
    """专项检查行动(打非治违):范围内在用场所在期限内的检查覆盖情况。"""

    serializer_class = SafetyCampaignSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanManage}

    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.campaigns_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> Campaign:
        return selectors.campaign_get_visible(user=self.request.user, pk=pk)

    def _detail(self, campaign: Campaign) -> Any:
        return SafetyCampaignDetailSerializer(campaign, context={"user": self.request.user}).data

    @extend_schema(summary="专项检查列表", responses={200: SafetyCampaignSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset().order_by("-starts_on", "-id"))
        return self.get_paginated_response(SafetyCampaignSerializer(page, many=True).data)

    @extend_schema(
        summary="专项检查详情(本人辖区部分按村/社区、网格的覆盖率,尚未检查的场所)",
        responses={200: SafetyCampaignDetailSerializer, **ERRORS},
    )
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(self._detail(self.visible(pk)))

    @extend_schema(
        summary="开展专项检查(村/社区或街道)",
        request=SafetyCampaignOpenSerializer,
        responses={201: SafetyCampaignDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(SafetyCampaignOpenSerializer, request)
        node = get_in_scope_or_404(Node.objects.all(), request.user, pk=data.pop("node"))
        campaign = services.campaign_open(actor=request.user, data=input_from(CampaignInput, data, node=node))
        return Response(self._detail(self.visible(campaign.pk)), status=status.HTTP_201_CREATED)
