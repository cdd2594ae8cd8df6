"""/api/v1/livelihood/activities and registrations: the calendar, putting an
activity on it (MANAGE_PROJECTS), registering residents, attendance and the
weekly check-in of a recurring activity (RECORD_CARE)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.api.requests import body_data, query_data
from grassroots.core.api.viewsets import ScopedViewSet
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.regions.models import Node, Resident

from .. import selectors
from ..models import Activity, Registration
from ..services import activities as services
from . import serializers as s
from .views import ERRORS, TAG, CanRecord, CanView

CanOrganise = HasCapability.of(Capability.MANAGE_PROJECTS)


@extend_schema(tags=[TAG])
class ActivityViewSet(ScopedViewSet):
    """活动:六大活动等,报名、签到;每周固定的活动(周五固定清扫日)按村/社区每周打卡。"""

    serializer_class = s.LivelihoodActivitySerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanOrganise, "register": CanRecord, "check_in": CanRecord, "photos": CanOrganise}

    def visible(self, pk: Any) -> Activity:
        return selectors.activity_get_visible(user=self.request.user, pk=pk)

    @extend_schema(
        summary="活动日历(month 默认本月;含每周固定的活动)",
        parameters=[s.LivelihoodMonthSerializer],
        responses={200: s.LivelihoodActivitySerializer(many=True), **ERRORS},
    )
    def list(self, request: Request) -> Response:
        data = query_data(s.LivelihoodMonthSerializer, request)
        rows = selectors.activities_in_month(user=request.user, month=data.get("month") or selectors.this_month())
        page = self.paginate_queryset(rows.order_by("starts_on", "id"))
        return self.get_paginated_response(s.LivelihoodActivitySerializer(page, many=True).data)

    @extend_schema(summary="活动详情", responses={200: s.LivelihoodActivitySerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.LivelihoodActivitySerializer(self.visible(pk)).data)

    @extend_schema(
        summary="安排活动",
        request=s.LivelihoodActivityInputSerializer,
        responses={201: s.LivelihoodActivitySerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.LivelihoodActivityInputSerializer, request)
        node = get_in_scope_or_404(Node.objects.all(), request.user, pk=data.pop("node"))
        activity = services.activity_create(actor=request.user, data=services.ActivityInput(node=node, **data))
        return Response(s.LivelihoodActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="报名(居民须在活动范围内)",
        request=s.LivelihoodRegisterSerializer,
        responses={201: s.LivelihoodRegistrationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def register(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.LivelihoodRegisterSerializer, request)
        resident = get_in_scope_or_404(Resident.objects.all(), request.user, pk=data["resident"])
        row = services.registration_add(actor=request.user, activity=self.visible(pk), resident=resident)
        return Response(s.LivelihoodRegistrationSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="每周固定活动的村/社区打卡(每周一次)",
        request=s.LivelihoodCheckInInputSerializer,
        responses={201: s.LivelihoodCheckInSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.LivelihoodCheckInInputSerializer, request)
        village = get_in_scope_or_404(Node.objects.all(), request.user, pk=data.pop("village"))
        row = services.check_in(actor=request.user, activity=self.visible(pk), village=village, **data)
        return Response(s.LivelihoodCheckInSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="上传活动照片(村/社区或街道工作人员)",
        request={"multipart/form-data": s.LivelihoodPhotoSerializer},
        responses={201: s.LivelihoodActivityPhotoSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def photos(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.LivelihoodPhotoSerializer, request)
        row = services.activity_photo_add(
            actor=request.user, activity=self.visible(pk), photo=data["photo"], caption=data.get("caption") or ""
        )
        return Response(s.LivelihoodActivityPhotoSerializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class RegistrationViewSet(ScopedViewSet):
    """活动报名:签到。"""

    serializer_class = s.LivelihoodRegistrationSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"attend": CanRecord}

    def visible(self, pk: Any) -> Registration:
        return selectors.registration_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="报名详情", responses={200: s.LivelihoodRegistrationSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.LivelihoodRegistrationSerializer(self.visible(pk)).data)

    @extend_schema(summary="签到", request=None, responses={200: s.LivelihoodRegistrationSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def attend(self, request: Request, pk: Any = None) -> Response:
        row = services.registration_attend(actor=request.user, registration=self.visible(pk))
        return Response(s.LivelihoodRegistrationSerializer(row).data)
