"""/api/v1/deliberation/…: the staff API on the same services as the pages.
One POST endpoint per action; domain errors become RFC 7807 problems (400 bad
input, 403 capability, 404 outside the subtree, 409 forbidden transition,
quorum not met or stale state)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.inputs import input_from
from grassroots.regions.models import Level

from .. import selectors
from ..services import agenda, weekly
from ..services import rules as rule_services
from . import serializers as s
from .common import PERMS, PROBLEMS, node_in_scope
from .meetings import meeting_detail_response


@extend_schema(tags=["议事规则"])
@extend_schema_view(list=extend_schema(summary="议事规则各版本(本人辖区)"))
class RuleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """村(社区)和街道的议事规则,按版本保存;会议按召集当日施行的版本判定。"""

    serializer_class = s.DeliberationRuleSerializer
    permission_classes = PERMS

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.rules_visible_to(user=self.request.user).order_by("path", "-version")

    @extend_schema(
        summary="新建规则版本",
        request=s.DeliberationRuleCreateSerializer,
        responses={201: s.DeliberationRuleSerializer, **PROBLEMS},
    )
    def create(self, request: Request) -> Response:
        data = s.DeliberationRuleCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        node = node_in_scope(request.user, d["node"], levels=(Level.SUBDISTRICT, Level.VILLAGE))
        rules = rule_services.ruleset_create(
            actor=request.user,
            node=node,
            data=input_from(rule_services.RuleInput, d),
            publish=d["publish"],
        )
        return Response(s.DeliberationRuleSerializer(rules).data, status=201)

    @extend_schema(summary="发布规则版本", request=None, responses={200: s.DeliberationRuleSerializer, **PROBLEMS})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        rules = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(
            s.DeliberationRuleSerializer(rule_services.ruleset_publish(actor=request.user, rules=rules)).data
        )


@extend_schema(tags=["议题建议"])
@extend_schema_view(list=extend_schema(summary="居民、代表提出的议题建议"))
class ProposalViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = PERMS
    serializer_class = s.DeliberationProposalSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.proposals_visible_to(user=self.request.user)

    @extend_schema(
        summary="审核议题建议",
        request=s.DeliberationModerateSerializer,
        responses={200: s.DeliberationProposalSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def moderate(self, request: Request, pk: str) -> Response:
        proposal = self.get_object()
        data = s.DeliberationModerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = agenda.proposal_moderate(actor=request.user, proposal=proposal, **data.validated_data)
        return Response(s.DeliberationProposalSerializer(proposal).data)


@extend_schema(tags=["每周重点村"])
@extend_schema_view(list=extend_schema(summary="每周重点村建议与历史"))
class WeeklyViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = PERMS
    serializer_class = s.DeliberationWeeklySerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.selections_visible_to(user=self.request.user)

    @extend_schema(
        summary="确定或调整本周重点村",
        request=s.DeliberationWeeklyConfirmSerializer,
        responses={200: s.DeliberationWeeklySerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        selection = self.get_object()
        data = s.DeliberationWeeklyConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        villages = selectors.nodes_by_ids(data.validated_data["villages"])
        selection = weekly.weekly_confirm(
            actor=request.user,
            selection=selection,
            villages=villages,
            note=data.validated_data["note"],
        )
        return Response(s.DeliberationWeeklySerializer(selection).data)

    @extend_schema(
        summary="在重点村召集党政联席会议(自动生成议程)",
        request=s.DeliberationJointConveneSerializer,
        responses={201: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def convene(self, request: Request, pk: str) -> Response:
        selection = self.get_object()
        data = s.DeliberationJointConveneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        village = node_in_scope(request.user, data.validated_data["village"], levels=(Level.VILLAGE,))
        meeting = weekly.joint_meeting_convene(
            actor=request.user,
            selection=selection,
            village=village,
            starts_at=data.validated_data["starts_at"],
            place=data.validated_data["place"],
        )
        response = meeting_detail_response(meeting)
        response.status_code = 201
        return response
