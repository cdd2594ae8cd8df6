"""API of the certificates part under /api/v1/registration/ (names cert-…):
organisations and certificates (window staff), revocation (WINDOW_DECIDE),
the public directory and verification, renewal by mail (public request
verified by an SMS code to a phone on file, rate-limited; staff receive,
mail out and void), and statistics (staff).

Public answers carry what a certificate shows and nothing personal; staff
answers mask phones. Errors are RFC 7807 problems (core.api.problems)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.clientip import client_ip
from grassroots.core.documents import content_disposition
from grassroots.core.errors import DomainError, NotFound

from ..models import Application, Certificate, Organisation
from ..selectors import directory as directory
from ..selectors import stats as stats
from ..services import certificates as certificate_services
from ..services import decisions as decision_services
from ..services import renewal as renewal_services
from ..services import renewal_verification as verification_services
from .certificates_serializers import (
    MailOutSerializer,
    OrganisationPublicDetailSerializer,
    OrganisationPublicSerializer,
    OrganisationStaffDetailSerializer,
    OrganisationStaffSerializer,
    RenewalCodeSerializer,
    RenewalCreatedSerializer,
    RenewalRequestSerializer,
    RenewalResendSerializer,
    RenewalStaffSerializer,
    RenewalVerificationSerializer,
    RevokeSerializer,
    StaffCertificateSerializer,
    VerificationSerializer,
    VoidSerializer,
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


@extend_schema(tags=[TAG], summary="社会组织列表(窗口)", parameters=FILTER_PARAMETERS)
class OrganisationList(generics.ListAPIView):
    permission_classes = STAFF
    serializer_class = OrganisationStaffSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        return directory.organisations_for_staff(filters=_filters(self.request))


@extend_schema(tags=[TAG], summary="社会组织详情(含证书换发链)")
class OrganisationDetail(generics.RetrieveAPIView):
    permission_classes = STAFF
    serializer_class = OrganisationStaffDetailSerializer
    queryset = Organisation.objects.all()


class OrganisationRevoke(APIView):
    permission_classes = DECIDE

    @extend_schema(tags=[TAG], summary="撤销登记", request=RevokeSerializer, responses=OrganisationStaffSerializer)
    def post(self, request: Request, pk: int) -> Response:
        organisation = get_object_or_404(Organisation, pk=pk)
        data = _valid(RevokeSerializer, request.data)
        organisation = certificate_services.organisation_revoke(
            actor=request.user,
            organisation=organisation,
            reason=data["reason"],
        )
        return Response(OrganisationStaffSerializer(organisation).data)


@extend_schema(
    tags=[TAG],
    summary="登记证书列表(窗口)",
    parameters=[
        OpenApiParameter("status", OpenApiTypes.STR, description="valid、replaced、revoked"),
        OpenApiParameter("expiring_within", OpenApiTypes.INT, description="只列出该天数内到期的有效证书"),
    ],
)
class CertificateList(generics.ListAPIView):
    permission_classes = STAFF
    serializer_class = StaffCertificateSerializer

    def get_queryset(self) -> QuerySet[Certificate]:
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


@extend_schema(tags=[TAG], summary="登记证书详情")
class CertificateDetail(generics.RetrieveAPIView):
    permission_classes = STAFF
    serializer_class = StaffCertificateSerializer
    queryset = Certificate.objects.select_related("organisation", "replaces")


class CertificatePdf(APIView):
    permission_classes = STAFF

    @extend_schema(tags=[TAG], summary="登记证书 PDF", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int) -> HttpResponse:
        certificate = get_object_or_404(Certificate.objects.select_related("organisation"), pk=pk)
        response = HttpResponse(
            certificate_services.certificate_pdf(certificate=certificate), content_type="application/pdf"
        )
        response["Content-Disposition"] = content_disposition(certificate_services.certificate_filename(certificate))
        return response


# --- Public: directory and verification ---------------------------------------------


@extend_schema(tags=[TAG], summary="登记目录(公开)", parameters=FILTER_PARAMETERS)
class DirectoryList(generics.ListAPIView):
    permission_classes = [AllowAny]
    throttle_classes = [LookupThrottle]
    serializer_class = OrganisationPublicSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        return directory.directory_search(filters=_filters(self.request))


class DirectoryDetail(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [LookupThrottle]

    @extend_schema(tags=[TAG], summary="登记目录中的社会组织(公开)", responses=OrganisationPublicDetailSerializer)
    def get(self, request: Request, code: str) -> Response:
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


# --- Renewal by mail ----------------------------------------------------------------


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _client_ip(request: Request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


class RenewalCreate(APIView):
    """Step 1 of a renewal by mail (ADR 0028): checks the request and sends a
    6-digit code by SMS to a phone on file; nothing is filed yet."""

    permission_classes = [AllowAny]
    throttle_classes = [RenewalThrottle]

    @extend_schema(
        tags=[TAG],
        summary="不见面换证申请:发送短信验证码到留存手机号(公开,限频)",
        request=RenewalRequestSerializer,
        responses={202: RenewalVerificationSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _valid(RenewalRequestSerializer, request.data)
        verification = verification_services.renewal_verification_start(
            organisation_credit_code=data["credit_code"],
            recipient=data.get("recipient", ""),
            applicant_name=data["applicant_name"],
            phone=data["phone"],
            inbound_tracking=data["inbound_tracking"],
            client_ip=_client_ip(request),
        )
        return Response(RenewalVerificationSerializer(verification).data, status=status.HTTP_202_ACCEPTED)


class RenewalVerify(APIView):
    """Step 2: the right code files the renewal application."""

    permission_classes = [AllowAny]
    throttle_classes = [LookupThrottle]

    @extend_schema(
        tags=[TAG],
        summary="不见面换证申请:提交短信验证码(公开,错误5次失效)",
        request=RenewalCodeSerializer,
        responses={201: RenewalCreatedSerializer},
    )
    def post(self, request: Request) -> Response:
        data = _valid(RenewalCodeSerializer, request.data)
        verification = verification_services.renewal_verification_get(token=data["token"])
        check = renewal_services.renewal_check(credit_code=verification.organisation.credit_code)
        application = verification_services.renewal_verification_confirm(
            token=data["token"], code=data["code"], client_ip=_client_ip(request)
        )
        body = {
            "tracking_code": application.tracking_code,
            "organisation": application.org_name,
            "state": application.state,
            "warning": check.warning,
        }
        return Response(RenewalCreatedSerializer(body).data, status=status.HTTP_201_CREATED)


class RenewalResend(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [RenewalThrottle]

    @extend_schema(
        tags=[TAG],
        summary="不见面换证申请:重新发送验证码(60秒后,最多3次)",
        request=RenewalResendSerializer,
        responses=RenewalVerificationSerializer,
    )
    def post(self, request: Request) -> Response:
        data = _valid(RenewalResendSerializer, request.data)
        verification = verification_services.renewal_verification_resend(
            token=data["token"], client_ip=_client_ip(request)
        )
        return Response(RenewalVerificationSerializer(verification).data)


class RenewalWaiting(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=[TAG],
        summary="待收旧证、审批中、待寄新证的不见面换证申请",
        responses=inline_serializer(
            "RenewalWaiting",
            {
                "mail_in": RenewalStaffSerializer(many=True),
                "in_progress": RenewalStaffSerializer(many=True),
                "mail_out": RenewalStaffSerializer(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        waiting = directory.renewals_waiting()
        return Response(
            {
                name: RenewalStaffSerializer(queryset.select_related("certificate"), many=True).data
                for name, queryset in waiting.items()
            }
        )


def _renewal(pk: int) -> Application:
    return get_object_or_404(Application.objects.select_related("service"), pk=pk)


class RenewalReceive(APIView):
    permission_classes = STAFF

    @extend_schema(tags=[TAG], summary="确认收到寄来的旧证书", request=None, responses=RenewalStaffSerializer)
    def post(self, request: Request, pk: int) -> Response:
        application = renewal_services.renewal_mark_received(actor=request.user, application=_renewal(pk))
        return Response(RenewalStaffSerializer(application).data)


class RenewalVoid(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=[TAG],
        summary="作废尚未受理的换证申请(非本单位申请等),理由必填",
        request=VoidSerializer,
        responses=RenewalStaffSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        application = _renewal(pk)
        data = _valid(VoidSerializer, request.data)
        application = decision_services.application_void(
            actor=request.user, application=application, reason=data["reason"]
        )
        return Response(RenewalStaffSerializer(application).data)


class RenewalMailOut(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=[TAG], summary="登记寄出新证书的 EMS 运单号", request=MailOutSerializer, responses=RenewalStaffSerializer
    )
    def post(self, request: Request, pk: int) -> Response:
        application = _renewal(pk)
        data = _valid(MailOutSerializer, request.data)
        application = renewal_services.renewal_mail_out(
            actor=request.user,
            application=application,
            outbound_tracking=data["outbound_tracking"],
        )
        return Response(RenewalStaffSerializer(application).data)


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


urlpatterns = [
    path("organisations", OrganisationList.as_view(), name="cert-organisation-list"),
    path("organisations/<id:pk>", OrganisationDetail.as_view(), name="cert-organisation-detail"),
    path("organisations/<id:pk>/revoke", OrganisationRevoke.as_view(), name="cert-organisation-revoke"),
    path("certificates", CertificateList.as_view(), name="cert-certificate-list"),
    path("certificates/<id:pk>", CertificateDetail.as_view(), name="cert-certificate-detail"),
    path("certificates/<id:pk>/pdf", CertificatePdf.as_view(), name="cert-certificate-pdf"),
    path("directory", DirectoryList.as_view(), name="cert-directory"),
    path("directory/<str:code>", DirectoryDetail.as_view(), name="cert-directory-detail"),
    path("verify/<str:code>", Verify.as_view(), name="cert-verify"),
    path("renewals", RenewalCreate.as_view(), name="cert-renewal-create"),
    path("renewals/verify", RenewalVerify.as_view(), name="cert-renewal-verify"),
    path("renewals/resend", RenewalResend.as_view(), name="cert-renewal-resend"),
    path("renewals/waiting", RenewalWaiting.as_view(), name="cert-renewal-waiting"),
    path("renewals/<id:pk>/void", RenewalVoid.as_view(), name="cert-renewal-void"),
    path("renewals/<id:pk>/receive", RenewalReceive.as_view(), name="cert-renewal-receive"),
    path("renewals/<id:pk>/mail-out", RenewalMailOut.as_view(), name="cert-renewal-mail-out"),
    path("stats", Stats.as_view(), name="cert-stats"),
]
