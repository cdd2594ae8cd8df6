"""API of the certificates part under /api/v1/registration/ (names cert-…,
registered in api/urls.py): organisations and certificates (window staff),
revocation (WINDOW_DECIDE), the public directory and verification, and
statistics (staff). Renewal by mail is in renewals.py.

Public answers carry what a certificate shows and nothing personal; staff
answers mask phones. Errors are RFC 7807 problems (core.api.problems)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.clientip import client_ip
from grassroots.core.documents import content_disposition
from grassroots.core.errors import DomainError, NotFound

from ..models import Certificate, Organisation
from ..selectors import directory as directory
from ..selectors import stats as stats
from ..services import certificates as certificate_services
from .certificates_serializers import (
    OrganisationPublicDetailSerializer,
    OrganisationPublicSerializer,
    OrganisationStaffDetailSerializer,
    OrganisationStaffSerializer,
    RevokeSerializer,
    StaffCertificateSerializer,
    VerificationSerializer,
)

TAG = "社会组织登记·证书"
STAFF = [HasCapability.of(Capability.WINDOW_WORK)]
DECIDE = [HasCapability.of(Capability.WINDOW_DECIDE)]


# --- Throttling ---------------------------------------------------------------------


class RenewalThrottle(SimpleRateThrottle):
    """Renewal requests per client address."""

    scope = "registration-renewal"
    rate = "10/hour"

    def get_cache_key(self, request: Request, view: Any) -> str:
        # Not DRF's get_ident, which believes any client's X-Forwarded-For (ADR 0026).
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}


class LookupThrottle(RenewalThrottle):
    scope = "registration-lookup"
    rate = "60/min"


def _filters(request: Request) -> directory.DirectoryFilters:
    params = request.query_params
    return directory.DirectoryFilters.clean(
        name=params.get("q", ""),
        kind=params.get("kind", ""),
        field=params.get("field", ""),
        status=params.get("status", ""),
    )


FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="名称包含,或统一社会信用代码"),
    OpenApiParameter("kind", OpenApiTypes.STR, description="类型:social_group、pne、foundation"),
    OpenApiParameter("field", OpenApiTypes.STR, description="业务领域"),
    OpenApiParameter("status", OpenApiTypes.STR, description="状态:active、deregistered、revoked"),
]


# --- Staff: organisations and certificates ------------------------------------------


def valid_data(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema(tags=[TAG])
class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    queryset = Organisation.objects.all()

    def get_permissions(self) -> list[Any]:
        return [permission() for permission in (DECIDE if self.action == "revoke" else STAFF)]

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return OrganisationStaffDetailSerializer if self.action == "retrieve" else OrganisationStaffSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        if self.action == "list":
            return directory.organisations_for_staff(filters=_filters(self.request))
        return Organisation.objects.all()

    @extend_schema(summary="社会组织列表(窗口)", parameters=FILTER_PARAMETERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="社会组织详情(含证书换发链)")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(summary="撤销登记", request=RevokeSerializer, responses=OrganisationStaffSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: int) -> Response:
        organisation = get_object_or_404(Organisation, pk=pk)
        data = valid_data(RevokeSerializer, request.data)
        organisation = certificate_services.organisation_revoke(
            actor=request.user,
            organisation=organisation,
            reason=data["reason"],
        )
        return Response(OrganisationStaffSerializer(organisation).data)


@extend_schema(tags=[TAG])
class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    permission_classes = STAFF
    serializer_class = StaffCertificateSerializer
    queryset = Certificate.objects.select_related("organisation", "replaces")

    @extend_schema(
        summary="登记证书列表(窗口)",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, description="valid、replaced、revoked"),
            OpenApiParameter("expiring_within", OpenApiTypes.INT, description="只列出该天数内到期的有效证书"),
        ],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Certificate]:
        if self.action != "list":
            return Certificate.objects.select_related("organisation", "replaces")
        queryset = Certificate.objects.select_related("organisation", "replaces").order_by("-issued_on", "-id")
        state = self.request.query_params.get("status", "")
        if state:
            if state not in Certificate.Status.values:
                raise ValidationError({"status": ["状态无效,应为 valid、replaced 或 revoked。"]})
            queryset = queryset.filter(status=state)
        within = self.request.query_params.get("expiring_within", "")
        if within:
            if not within.isdigit() or int(within) > 3660:
                raise ValidationError({"expiring_within": ["应为 0–3660 之间的天数。"]})
            today = timezone.localdate()
            queryset = queryset.filter(
                status=Certificate.Status.VALID,
                valid_until__gte=today,
                valid_until__lte=today + datetime.timedelta(days=int(within)),
            )
        return queryset

    @extend_schema(summary="登记证书详情")
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(summary="登记证书 PDF", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request: Request, pk: int) -> HttpResponse:
        certificate = get_object_or_404(Certificate.objects.select_related("organisation"), pk=pk)
        response = HttpResponse(
            certificate_services.certificate_pdf(certificate=certificate), content_type="application/pdf"
        )
        response["Content-Disposition"] = content_disposition(certificate_services.certificate_filename(certificate))
        return response


# --- Public: directory and verification ---------------------------------------------


@extend_schema(tags=[TAG])
class DirectoryViewSet(mixins.ListModelMixin, GenericViewSet):
    permission_classes = [AllowAny]
    throttle_classes = [LookupThrottle]
    serializer_class = OrganisationPublicSerializer
    lookup_field = "code"
    lookup_value_converter = "str"
    list_route_name = "cert-directory"  # the name it had before the router

    def get_queryset(self) -> QuerySet[Organisation]:
        return directory.directory_search(filters=_filters(self.request))

    @extend_schema(summary="登记目录(公开)", parameters=FILTER_PARAMETERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="登记目录中的社会组织(公开)", responses=OrganisationPublicDetailSerializer)
    def retrieve(self, request: Request, code: str) -> Response:
        organisation = directory.organisation_by_credit_code(credit_code=code)
        return Response(OrganisationPublicDetailSerializer(organisation).data)


class Verify(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [LookupThrottle]

    @extend_schema(
        tags=[TAG],
        summary="按统一社会信用代码核验证书(公开)",
        parameters=[OpenApiParameter("t", OpenApiTypes.STR, description="证书二维码中的核验码")],
        responses=VerificationSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        result = directory.verify_credit_code(code=code, token=request.query_params.get("t", ""))
        if result.verdict in (directory.Verdict.BAD_FORMAT, directory.Verdict.BAD_CHECK):
            raise DomainError(f"credit_code_{result.verdict}", result.message, field="code")
        if result.verdict == directory.Verdict.NOT_FOUND:
            raise NotFound(result.message)
        return Response(
            VerificationSerializer(
                {
                    "code": result.code,
                    "verdict": str(result.verdict),
                    "label": result.label,
                    "message": result.message,
                    "organisation": result.organisation,
                    "certificate": result.certificate,
                    "current": result.current,
                }
            ).data
        )


# --- Statistics ---------------------------------------------------------------------


def _date_param(request: Request, name: str, default: datetime.date) -> datetime.date:
    value = request.query_params.get(name, "")
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: ["日期格式应为 YYYY-MM-DD。"]}) from None


class Stats(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=[TAG],
        summary="办理统计:各事项办理时长(工作日)、当日办结率、退回率、帮办与自办",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="开始日期(含),默认本年 1 月 1 日"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="结束日期(含),默认今天"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        default_from, default_to = stats.default_period()
        date_from = _date_param(request, "from", default_from)
        date_to = _date_param(request, "to", default_to)
        if date_from > date_to:
            raise ValidationError({"from": ["开始日期不能晚于结束日期。"]})
        result = stats.registration_stats(date_from=date_from, date_to=date_to)
        return Response(
            {
                "from": date_from,
                "to": date_to,
                "services": [_stats_row(row) for row in result.rows],
                "total": _stats_row(result.total),
            }
        )


def _stats_row(row: stats.ServiceStats) -> dict[str, Any]:
    return {
        "service": row.service.code if row.service else None,
        "name": row.label,
        "issued": row.all.count,
        "median_days": row.all.median,
        "max_days": row.all.maximum,
        "same_day": row.same_day,
        "same_day_rate": row.same_day_rate,
        "accepted": row.accepted,
        "returned": row.returned,
        "return_rate": row.return_rate,
        "assisted": {"count": row.assisted.count, "median_days": row.assisted.median},
        "unassisted": {"count": row.unassisted.count, "median_days": row.unassisted.median},
        "calendar_not_covered": row.uncovered,
    }
