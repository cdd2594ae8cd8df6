"""/api/v1/mediation/referrals: 转介, the same services as the pages. Grid
workers and village staff create referrals of matters in their subtree; the
centre lists them and accepts (a case is registered) or returns them."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.inputs import input_from

from .. import from_matters
from ..models import DisputeReferral
from ..services import referrals
from ..states import ReferralState
from . import serializers as s
from . import serializers_referrals as sr
from .common import TAG_CASES, CanManage, case_answer, choice_param, request_body

CanRefer = HasCapability.of(Capability.REFER_DISPUTES)
ERRORS = {
    400: OpenApiResponse(description="输入有误"),
    403: OpenApiResponse(description="角色无权"),
    404: OpenApiResponse(description="不存在或不在辖区内"),
    409: OpenApiResponse(description="当前状态不允许此操作"),
}


@extend_schema(tags=[TAG_CASES])
class ReferralViewSet(viewsets.GenericViewSet):
    """纠纷转介:网格员、村(社区)工作人员把事项转介给调解中心,调解中心接收(登记案件)或退回(写明理由)。"""

    permission_classes = [CanManage]
    serializer_class = sr.MediationReferralSerializer

    def get_permissions(self) -> list[BasePermission]:
        return [CanRefer()] if self.action == "create" else super().get_permissions()

    def get_queryset(self) -> QuerySet[DisputeReferral]:
        return from_matters.referrals_visible_to(user=self.request.user)

    def _answer(self, referral: DisputeReferral, *, status: int = 200) -> Response:
        loaded = from_matters.referral_visible(user=self.request.user, pk=referral.pk)
        return Response(sr.MediationReferralSerializer(loaded or referral).data, status=status)

    @extend_schema(
        summary="转介列表(调解中心)",
        parameters=[OpenApiParameter("state", OpenApiTypes.STR, description="、".join(ReferralState.values))],
    )
    def list(self, request: Request) -> Response:
        state = choice_param(request, "state", list(ReferralState.values))
        page = self.paginate_queryset(from_matters.referrals_visible_to(user=request.user, state=state))
        return self.get_paginated_response(sr.MediationReferralSerializer(page, many=True).data)

    @extend_schema(summary="转介详情", responses=sr.MediationReferralSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(
            sr.MediationReferralSerializer(from_matters.referral_get_visible(user=request.user, pk=pk)).data
        )

    @extend_schema(
        summary="转调解(网格员、村/社区工作人员)",
        description="把本人辖区内的事项转介给一站式矛盾纠纷调解中心,调解中心会收到通知。",
        request=sr.MediationReferralCreateSerializer,
        responses={201: sr.MediationReferralSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = request_body(sr.MediationReferralCreateSerializer, request)
        matter = from_matters.matter_in_scope(user=request.user, pk=data.pop("matter"))
        referral = referrals.referral_create(
            actor=request.user, matter=matter, data=input_from(referrals.ReferralInput, data)
        )
        return Response(sr.MediationReferralSerializer(referral).data, status=201)

    @extend_schema(
        summary="接收转介(登记为案件)",
        request=sr.MediationReferralAcceptSerializer,
        responses={201: s.MediationCaseDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        referral = from_matters.referral_get_visible(user=request.user, pk=pk)
        data = request_body(sr.MediationReferralAcceptSerializer, request)
        case = referrals.referral_accept(actor=request.user, referral=referral, **data)
        return case_answer(request, case, status=201)

    @extend_schema(
        summary="退回转介(写明理由)",
        request=sr.MediationReferralReturnSerializer,
        responses={200: sr.MediationReferralSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        referral = from_matters.referral_get_visible(user=request.user, pk=pk)
        data = request_body(sr.MediationReferralReturnSerializer, request)
        referrals.referral_return(actor=request.user, referral=referral, reason=data["reason"])
        return self._answer(referral)
