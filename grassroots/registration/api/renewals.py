"""Renewal by mail under /api/v1/registration/renewals (names cert-renewal-…,
registered in api/urls.py): the public request verified by an SMS code to a
phone on file (rate-limited, ADR 0028), and the window staff's steps
(receive the old certificate, mail out the new one, void), one action each."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

from ..models import Application
from ..selectors import directory
from ..services import decisions as decision_services
from ..services import renewal as renewal_services
from ..services import renewal_verification as verification_services
from .certificates import STAFF, TAG, LookupThrottle, RenewalThrottle, valid_data
from .certificates_serializers import (
    MailOutSerializer,
    RenewalCodeSerializer,
    RenewalCreatedSerializer,
    RenewalRequestSerializer,
    RenewalResendSerializer,
    RenewalStaffSerializer,
    RenewalVerificationSerializer,
    VoidSerializer,
)

PUBLIC = {"create", "verify", "resend"}
THROTTLES: dict[str, list[Any]] = {"create": [RenewalThrottle], "resend": [RenewalThrottle], "verify": [LookupThrottle]}


def _client_ip(request: Request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _renewal(pk: int) -> Application:
    return get_object_or_404(Application.objects.select_related("service"), pk=pk)


@extend_schema(tags=[TAG])
class RenewalViewSet(ViewSet):
    list_route_name = "cert-renewal-create"  # POST only: the name it had before the router

    def get_permissions(self) -> list[Any]:
        if self.action in PUBLIC:
            return [AllowAny()]
        return [permission() for permission in STAFF]

    def get_throttles(self) -> list[Any]:
        if self.action in THROTTLES:
            return [throttle() for throttle in THROTTLES[self.action]]
        return super().get_throttles()

    @extend_schema(
        summary="不见面换证申请:发送短信验证码到留存手机号(公开,限频)",
        description=(
            "Step 1 of a renewal by mail (ADR 0028): checks the request and sends a\n"
            "6-digit code by SMS to a phone on file; nothing is filed yet."
        ),
        request=RenewalRequestSerializer,
        responses={202: RenewalVerificationSerializer},
    )
    def create(self, request: Request) -> Response:
        data = valid_data(RenewalRequestSerializer, request.data)
        verification = verification_services.renewal_verification_start(
            organisation_credit_code=data["credit_code"],
            recipient=data.get("recipient", ""),
            applicant_name=data["applicant_name"],
            phone=data["phone"],
            inbound_tracking=data["inbound_tracking"],
            client_ip=_client_ip(request),
        )
        return Response(RenewalVerificationSerializer(verification).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="不见面换证申请:提交短信验证码(公开,错误5次失效)",
        description="Step 2: the right code files the renewal application.",
        request=RenewalCodeSerializer,
        responses={201: RenewalCreatedSerializer},
    )
    @action(detail=False, methods=["post"])
    def verify(self, request: Request) -> Response:
        data = valid_data(RenewalCodeSerializer, request.data)
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

    @extend_schema(
        summary="不见面换证申请:重新发送验证码(60秒后,最多3次)",
        request=RenewalResendSerializer,
        responses=RenewalVerificationSerializer,
    )
    @action(detail=False, methods=["post"])
    def resend(self, request: Request) -> Response:
        data = valid_data(RenewalResendSerializer, request.data)
        verification = verification_services.renewal_verification_resend(
            token=data["token"], client_ip=_client_ip(request)
        )
        return Response(RenewalVerificationSerializer(verification).data)

    @extend_schema(
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
    @action(detail=False, methods=["get"])
    def waiting(self, request: Request) -> Response:
        waiting = directory.renewals_waiting()
        return Response(
            {
                name: RenewalStaffSerializer(queryset.select_related("certificate"), many=True).data
                for name, queryset in waiting.items()
            }
        )

    @extend_schema(
        summary="作废尚未受理的换证申请(非本单位申请等),理由必填",
        request=VoidSerializer,
        responses=RenewalStaffSerializer,
    )
    @action(detail=True, methods=["post"])
    def void(self, request: Request, pk: int) -> Response:
        application = _renewal(pk)
        data = valid_data(VoidSerializer, request.data)
        application = decision_services.application_void(
            actor=request.user, application=application, reason=data["reason"]
        )
        return Response(RenewalStaffSerializer(application).data)

    @extend_schema(summary="确认收到寄来的旧证书", request=None, responses=RenewalStaffSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request: Request, pk: int) -> Response:
        application = renewal_services.renewal_mark_received(actor=request.user, application=_renewal(pk))
        return Response(RenewalStaffSerializer(application).data)

    @extend_schema(summary="登记寄出新证书的 EMS 运单号", request=MailOutSerializer, responses=RenewalStaffSerializer)
    @action(detail=True, methods=["post"], url_path="mail-out", url_name="mail-out")
    def mail_out(self, request: Request, pk: int) -> Response:
        application = _renewal(pk)
        data = valid_data(MailOutSerializer, request.data)
        application = renewal_services.renewal_mail_out(
            actor=request.user,
            application=application,
            outbound_tracking=data["outbound_tracking"],
        )
        return Response(RenewalStaffSerializer(application).data)
