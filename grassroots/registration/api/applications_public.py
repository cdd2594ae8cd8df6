"""/api/v1/registration/public/applications/<code> …: applicants (no login)
apply online and act on their own application through its tracking code;
a wrong code is 404; writes are rate-limited per IP (429). One POST action
of the viewset per step (registered in api/urls.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

from grassroots.core.errors import NotFound

from ..models import Application
from ..selectors.applications import application_by_code
from ..services import applications as services
from ..services import commitments
from . import applications_inputs as inputs
from . import applications_serializers as s
from .applications_common import (
    CREATE_RATE,
    PROBLEMS,
    PUBLIC_PROBLEMS,
    PUBLIC_TAGS,
    WRITE_RATE,
    action_schema,
    commitment_of,
    form_update,
    limit,
    material_upload,
    public_response,
    step,
    valid,
)

# --- Public (applicants, by tracking code) ----------------------------------------------


_answer = partial(action_schema, answer=s.AppPublicApplicationSerializer, problems=PUBLIC_PROBLEMS)


@extend_schema(tags=PUBLIC_TAGS)
class PublicApplicationViewSet(ViewSet):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    lookup_field = "code"
    lookup_value_converter = "str"
    list_route_name = "{basename}-create"  # POST only: the name it had before the router

    def application(self, code: str) -> Application:
        application = application_by_code(code)
        if application is None:
            raise NotFound("没有找到这个查询码对应的申请。")
        return application

    def _act(self, request: Request, code: str, serializer_class: type[serializers.Serializer], call: Any) -> Response:
        application = self.application(code)
        limit(request, "write", WRITE_RATE)
        serializer = valid(serializer_class, request)
        call(application, dict(serializer.validated_data))
        return public_response(application)

    @extend_schema(
        summary="网上申请:新建申请(返回查询码)",
        request=inputs.AppPublicCreateSerializer,
        responses={201: s.AppPublicApplicationSerializer, **PUBLIC_PROBLEMS},
    )
    def create(self, request: Request) -> Response:
        limit(request, "create", CREATE_RATE)
        serializer = valid(inputs.AppPublicCreateSerializer, request)
        data = serializer.validated_data
        service = data["service"]
        application = services.application_create(
            service=service,
            data=serializer.to_input(service, agent_name=data.get("agent_name", "")),
        )
        return public_response(application, status.HTTP_201_CREATED)

    @extend_schema(summary="按查询码查看申请", responses={200: s.AppPublicApplicationSerializer, 404: PROBLEMS[404]})
    def retrieve(self, request: Request, code: str) -> Response:
        return public_response(self.application(code))

    @extend_schema(
        summary="修改申请表",
        request=inputs.ApplicationInputSerializer,
        responses={200: s.AppPublicApplicationSerializer, **PUBLIC_PROBLEMS},
    )
    @step("update")
    def change(self, request: Request, code: str) -> Response:
        application = self.application(code)
        limit(request, "write", WRITE_RATE)
        form_update(application, request)
        return public_response(application)

    @extend_schema(
        summary="上传材料(代理人首次上传附授权委托书)",
        request={"multipart/form-data": inputs.AppUploadSerializer},
        responses={201: s.AppPublicApplicationSerializer, **PUBLIC_PROBLEMS},
    )
    @step("materials")
    def materials(self, request: Request, code: str) -> Response:
        application = self.application(code)
        limit(request, "write", WRITE_RATE)
        material_upload(application, request, letter=True)
        return public_response(application, status.HTTP_201_CREATED)

    @_answer(inputs.AppSubmitSerializer, summary="提交申请")
    @step("submit")
    def submit(self, request: Request, code: str) -> Response:
        return self._act(
            request,
            code,
            inputs.AppSubmitSerializer,
            lambda a, d: services.application_submit(application=a, confirm_incomplete=d["confirm_incomplete"]),
        )

    @_answer(inputs.AppSubmitSerializer, summary="补正后重新提交")
    @step("resubmit")
    def resubmit(self, request: Request, code: str) -> Response:
        return self._act(
            request,
            code,
            inputs.AppSubmitSerializer,
            lambda a, d: services.application_resubmit(application=a, confirm_incomplete=d["confirm_incomplete"]),
        )

    @_answer(inputs.AppOptionalReasonSerializer, summary="撤回申请")
    @step("withdraw")
    def withdraw(self, request: Request, code: str) -> Response:
        return self._act(
            request,
            code,
            inputs.AppOptionalReasonSerializer,
            lambda a, d: services.application_withdraw(application=a, reason=d.get("reason", "")),
        )

    @_answer(inputs.AppEmptySerializer, summary="生成告知承诺书")
    @step("commitment")
    def commitment(self, request: Request, code: str) -> Response:
        return self._act(
            request,
            code,
            inputs.AppEmptySerializer,
            lambda a, d: commitments.commitment_create(actor=None, application=a),
        )

    @_answer(inputs.AppSignSerializer, summary="上传签字的告知承诺书")
    @step("commitment/sign")
    def commitment_sign(self, request: Request, code: str) -> Response:
        return self._act(
            request,
            code,
            inputs.AppSignSerializer,
            lambda a, d: commitments.commitment_sign(
                actor=None, commitment=commitment_of(a), signed_copy_file=d["signed_copy"]
            ),
        )
