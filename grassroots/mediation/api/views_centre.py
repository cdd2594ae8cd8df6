"""/api/v1/mediation/: sessions, the parties' audited reveal, committees,
grid legal advisers, consultations, workloads and three-source statistics."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import permissions, selectors
from ..models import Committee, GridAdviser, Party, Session
from ..personal_data import party_reveal
from ..services import consultations, teams
from ..services import sessions as session_services
from ..stats import dispute_stats
from . import serializers as s
from . import serializers_centre as sc
from .common import (
    TAG_CASES,
    TAG_STATS,
    TAG_TEAMS,
    CanConsult,
    CanConsultOrManage,
    CanManage,
    CanView,
    case_answer,
    date_param,
    request_body,
    transition_schema,
)


@extend_schema(tags=[TAG_CASES])
class SessionViewSet(viewsets.GenericViewSet):
    """调解安排:记录已进行的调解或取消。"""

    permission_classes = [CanView]
    serializer_class = s.MediationSessionSerializer

    def get_queryset(self) -> QuerySet[Session]:
        return selectors.sessions_in_scope(user=self.request.user)

    def _session(self, pk: Any) -> Session:
        try:
            return self.get_queryset().get(pk=int(pk))
        except (Session.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404(selectors.NOT_FOUND) from exc

    @transition_schema("记录调解(到场人员和调解记录;首次调解即开始调解)", s.MediationSessionRecordSerializer)
    @action(detail=True, methods=["post"])
    def record(self, request: Request, pk: str | None = None) -> Response:
        session = self._session(pk)
        data = request_body(s.MediationSessionRecordSerializer, request)
        session_services.session_record(
            actor=request.user,
            session=session,
            notes=data["notes"],
            parties_present=list(data["parties_present"]),
            staff_present=list(data.get("staff_present") or []) or None,
            other_attendees=data["other_attendees"],
            held_at=data.get("held_at"),
        )
        return case_answer(request, session.case)

    @transition_schema("取消调解", s.MediationSessionCancelSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        session = self._session(pk)
        data = request_body(s.MediationSessionCancelSerializer, request)
        session_services.session_cancel(actor=request.user, session=session, reason=data["reason"])
        return case_answer(request, session.case)


@extend_schema(tags=[TAG_CASES])
class PartyViewSet(viewsets.GenericViewSet):
    permission_classes = [CanView]
    serializer_class = s.MediationPartySerializer

    def get_queryset(self) -> QuerySet[Party]:
        return selectors.parties_in_scope(user=self.request.user)

    @extend_schema(
        summary="查看当事人完整身份证号和电话(留痕)",
        request=s.MediationRevealRequestSerializer,
        responses=s.MediationRevealResponseSerializer,
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: str | None = None) -> Response:
        party = self.get_object()
        data = request_body(s.MediationRevealRequestSerializer, request)
        values = party_reveal(actor=request.user, party=party, reason=data["reason"])
        return Response(s.MediationRevealResponseSerializer(values).data)


@extend_schema(tags=[TAG_TEAMS])
class CommitteeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """人民调解委员会。"""

    serializer_class = sc.MediationCommitteeSerializer

    def get_permissions(self) -> list[BasePermission]:
        return [CanManage()] if self.action == "create" else [CanView()]

    def get_queryset(self) -> QuerySet[Committee]:
        return selectors.committees_visible_to(user=self.request.user).order_by("path", "name")

    @extend_schema(summary="调委会列表")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="设立调委会", request=sc.MediationCommitteeSerializer, responses={201: sc.MediationCommitteeSerializer}
    )
    def create(self, request: Request) -> Response:
        data = request_body(sc.MediationCommitteeSerializer, request)
        committee = teams.committee_create(actor=request.user, name=data["name"], node=data["node"])
        return Response(sc.MediationCommitteeSerializer(committee).data, status=201)


@extend_schema(tags=[TAG_TEAMS])
class GridAdviserViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """网格+法律顾问:每个网格当前的法律顾问。"""

    serializer_class = sc.MediationGridAdviserSerializer

    def get_permissions(self) -> list[BasePermission]:
        return [CanManage()] if self.action == "create" else [CanView()]

    def get_queryset(self) -> QuerySet[GridAdviser]:
        return selectors.grid_advisers_visible_to(user=self.request.user)

    @extend_schema(summary="网格法律顾问列表")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="指派网格法律顾问",
        request=sc.MediationGridAdviserSerializer,
        responses={201: sc.MediationGridAdviserSerializer},
    )
    def create(self, request: Request) -> Response:
        data = request_body(sc.MediationGridAdviserSerializer, request)
        assignment = teams.grid_adviser_assign(actor=request.user, grid=data["grid"], adviser=data["adviser"])
        return Response(sc.MediationGridAdviserSerializer(assignment).data, status=201)


@extend_schema(tags=[TAG_TEAMS])
class ConsultationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """法律咨询记录。法律顾问看到本人登记的,调解中心看到辖区内全部;咨询人姓名脱敏。"""

    serializer_class = sc.MediationConsultationSerializer

    def get_permissions(self) -> list[BasePermission]:
        return [CanConsult()] if self.action == "create" else [CanConsultOrManage()]

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        return selectors.consultations_visible_to(user=user, own=not permissions.can_manage(user))

    @extend_schema(summary="法律咨询列表")
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="登记法律咨询",
        request=sc.MediationConsultationInputSerializer,
        responses={201: sc.MediationConsultationSerializer},
    )
    def create(self, request: Request) -> Response:
        data = request_body(sc.MediationConsultationInputSerializer, request)
        consultation = consultations.consultation_log(actor=request.user, **data)
        return Response(sc.MediationConsultationSerializer(consultation).data, status=201)


@extend_schema(tags=[TAG_TEAMS])
class WorkloadView(APIView):
    permission_classes = [CanView]

    @extend_schema(summary="调解员和法律顾问的工作量(未结案件数)", responses=sc.MediationWorkloadSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(sc.MediationWorkloadSerializer(selectors.workloads(user=request.user), many=True).data)


@extend_schema(tags=[TAG_STATS])
class StatsView(APIView):
    permission_classes = [CanManage]

    @extend_schema(
        summary="三源治理统计",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="登记日期起(默认近 12 个月)"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="登记日期止(默认今天)"),
        ],
        responses=sc.MediationStatsSerializer,
    )
    def get(self, request: Request) -> Response:
        end = date_param(request, "end") or timezone.localdate()
        start = date_param(request, "start") or (end.replace(day=1) - datetime.timedelta(days=320)).replace(day=1)
        if start > end:
            raise serializers.ValidationError({"start": ["起始日期不能晚于截止日期。"]})
        if (end - start).days > 3 * 366:
            raise serializers.ValidationError({"start": ["统计区间不能超过三年。"]})
        return Response(sc.MediationStatsSerializer(dispute_stats(user=request.user, start=start, end=end)).data)
