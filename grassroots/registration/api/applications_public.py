"""/api/v1/registration/public/applications/<code> …: applicants (no login)
apply online and act on their own application through its tracking code;
a wrong code is 404; writes are rate-limited per IP (429)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.core.errors import NotFound

from ..models import Application
from ..selectors.applications import application_by_code
from ..services import applications as services
from ..services import commitments
from . import applications_serializers as s
from .applications_common import (
    CREATE_RATE,
    PROBLEMS,
    PUBLIC_PROBLEMS,
    PUBLIC_TAGS,
    WRITE_RATE,
    Call,
    commitment_of,
    limit,
    public_response,
    requirement_of,
    valid,
)

# --- Public (applicants, by tracking code) ----------------------------------------------


class PublicView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def application(self, code: str) -> Application:
        application = application_by_code(code)
        if application is None:
            raise NotFound("没有找到这个查询码对应的申请。")
        return application


@extend_schema(tags=PUBLIC_TAGS)
class PublicCreate(PublicView):
    @extend_schema(
        summary="网上申请:新建申请(返回查询码)",
        request=s.AppPublicCreateSerializer,
        responses={201: s.AppPublicApplicationSerializer, **PUBLIC_PROBLEMS},
    )
    def post(self, request: Request) -> Response:
        limit(request, "create", CREATE_RATE)
        serializer = valid(s.AppPublicCreateSerializer, request)
        data = serializer.validated_data
        service = data["service"]
        application = services.application_create(
            service=service,
            data=serializer.to_input(service, agent_name=data.get("agent_name", "")),
        )
        return public_response(application, status.HTTP_201_CREATED)


@extend_schema(tags=PUBLIC_TAGS)
class PublicDetail(PublicView):
    @extend_schema(summary="按查询码查看申请", responses={200: s.AppPublicApplicationSerializer, 404: PROBLEMS[404]})
    def get(self, request: Request, code: str) -> Response:
        return public_response(self.application(code))


@extend_schema(tags=PUBLIC_TAGS)
class PublicUpdate(PublicView):
    @extend_schema(
        summary="修改申请表",
        request=s.ApplicationInputSerializer,
        responses={200: s.AppPublicApplicationSerializer, **PUBLIC_PROBLEMS},
    )
    def post(self, request: Request, code: str) -> Response:
        application = self.application(code)
        limit(request, "write", WRITE_RATE)
        serializer = valid(s.ApplicationInputSerializer, request)
        services.application_update(
            application=application,
            data=serializer.to_input(application.service, agent_name=application.agent_name),
        )
        return public_response(application)


@extend_schema(tags=PUBLIC_TAGS)
class PublicUpload(PublicView):
    @extend_schema(
        summary="上传材料(代理人首次上传附授权委托书)",
        request={"multipart/form-data": s.AppUploadSerializer},
        responses={201: s.AppPublicApplicationSerializer, **PUBLIC_PROBLEMS},
    )
    def post(self, request: Request, code: str) -> Response:
        application = self.application(code)
        limit(request, "write", WRITE_RATE)
        data = valid(s.AppUploadSerializer, request).validated_data
        services.material_upload(
            application=application,
            requirement=requirement_of(application, data.get("requirement")),
            extra_kind=data.get("extra_kind") or "",
            file=data["file"],
            authorisation_letter=data.get("authorisation_letter"),
        )
        return public_response(application, status.HTTP_201_CREATED)


PUBLIC_ACTIONS: dict[str, tuple[str, type[serializers.Serializer], Call]] = {
    "submit": (
        "提交申请",
        s.AppSubmitSerializer,
        lambda r, a, d: services.application_submit(application=a, confirm_incomplete=d["confirm_incomplete"]),
    ),
    "resubmit": (
        "补正后重新提交",
        s.AppSubmitSerializer,
        lambda r, a, d: services.application_resubmit(application=a, confirm_incomplete=d["confirm_incomplete"]),
    ),
    "withdraw": (
        "撤回申请",
        s.AppOptionalReasonSerializer,
        lambda r, a, d: services.application_withdraw(application=a, reason=d.get("reason", "")),
    ),
    "commitment": (
        "生成告知承诺书",
        s.AppEmptySerializer,
        lambda r, a, d: commitments.commitment_create(actor=None, application=a),
    ),
    "commitment/sign": (
        "上传签字的告知承诺书",
        s.AppSignSerializer,
        lambda r, a, d: commitments.commitment_sign(
            actor=None, commitment=commitment_of(a), signed_copy_file=d["signed_copy"]
        ),
    ),
}


def _public_action_view(name: str) -> type[APIView]:
    summary, serializer_class, call = PUBLIC_ACTIONS[name]

    def post(self: PublicView, request: Request, code: str) -> Response:
        application = self.application(code)
        limit(request, "write", WRITE_RATE)
        serializer = valid(serializer_class, request)
        call(request, application, dict(serializer.validated_data))
        return public_response(application)

    request_schema: Any = serializer_class
    if serializer_class is s.AppSignSerializer:
        request_schema = {"multipart/form-data": serializer_class}
    elif serializer_class is s.AppEmptySerializer:
        request_schema = None
    post = extend_schema(
        summary=summary, request=request_schema, responses={200: s.AppPublicApplicationSerializer, **PUBLIC_PROBLEMS}
    )(post)
    view = type(f"PublicApplication{name.title().replace('/', '')}", (PublicView,), {"post": post})
    return extend_schema(tags=PUBLIC_TAGS)(view)


def _url_name(name: str) -> str:
    return name.replace("/", "-")


urlpatterns: list[URLPattern] = [
    path("public/applications", PublicCreate.as_view(), name="app-public-create"),
    path("public/applications/<str:code>", PublicDetail.as_view(), name="app-public-detail"),
    path("public/applications/<str:code>/update", PublicUpdate.as_view(), name="app-public-update"),
    path("public/applications/<str:code>/materials", PublicUpload.as_view(), name="app-public-materials"),
    *[
        path(
            f"public/applications/<str:code>/{name}",
            _public_action_view(name).as_view(),
            name=f"app-public-{_url_name(name)}",
        )
        for name in PUBLIC_ACTIONS
    ],
]
