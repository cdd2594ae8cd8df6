"""Shared pieces of the applications API (staff: applications.py; applicants:
applications_public.py): problem descriptions, answers, small look-ups."""

from __future__ import annotations

from typing import Any

from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.errors import DomainError
from grassroots.core.workdays import CalendarNotCovered

from ..models import Application, Commitment, MaterialRequirement
from ..selectors.applications import application_checklist, application_get
from ..services import applications as services
from ..services.clock import application_clock
from . import applications_inputs as inputs
from . import applications_serializers as s

STAFF_TAGS = ["社会组织登记·申请办理"]
PUBLIC_TAGS = ["社会组织登记·网上申请"]
CREATE_RATE = "10/h"
WRITE_RATE = "60/h"
PROBLEMS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,errors 列出各字段)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="申请不存在"),
    409: OpenApiResponse(description="当前状态不允许此操作,或已被他人处理"),
}
PUBLIC_PROBLEMS = {code: PROBLEMS[code] for code in (400, 404, 409)} | {429: OpenApiResponse(description="操作太频繁")}


def detail_data(application: Application, serializer: type[s.ApplicationDetailSerializer]) -> dict[str, Any]:
    application = application_get(application.pk)
    try:
        clock = application_clock(application)
    except CalendarNotCovered:
        clock = None
    return serializer(application, context={"checklist": application_checklist(application), "clock": clock}).data


def staff_response(application: Application) -> Response:
    return Response(detail_data(application, s.ApplicationDetailSerializer))


def public_response(application: Application, code: int = status.HTTP_200_OK) -> Response:
    return Response(detail_data(application, s.AppPublicApplicationSerializer), status=code)


def limit(request: Request, group: str, rate: str) -> None:
    if is_ratelimited(request, group=f"registration-apply-api.{group}", key="ip", rate=rate, increment=True):
        raise exceptions.Throttled()


def valid(serializer_class: type[serializers.Serializer], request: Request) -> serializers.Serializer:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer


def requirement_of(application: Application, pk: int | None) -> MaterialRequirement | None:
    if pk is None:
        return None
    requirement = MaterialRequirement.objects.filter(pk=pk, service=application.service).first()
    if requirement is None:
        raise DomainError("requirement_invalid", "该材料不属于本申请事项。", field="requirement")
    return requirement


def commitment_of(application: Application) -> Commitment:
    commitment = Commitment.objects.filter(application=application).first()
    if commitment is None:
        raise DomainError("commitment_missing", "请先生成告知承诺书。")
    return commitment


def action_schema(
    serializer_class: type[serializers.Serializer], *, summary: str, answer: Any, problems: dict[int, Any]
) -> Any:
    """The schema of a POST action: its body (none, JSON or multipart) and the detail it answers."""
    body: Any = serializer_class
    if serializer_class is inputs.AppSignSerializer:
        body = {"multipart/form-data": serializer_class}
    elif serializer_class is inputs.AppEmptySerializer:
        body = None
    return extend_schema(summary=summary, request=body, responses={200: answer, **problems})


def step(name: str) -> Any:
    """One POST action on an application at `…/{id or code}/<name>`."""
    return action(detail=True, methods=["post"], url_path=name, url_name=name.replace("/", "-"))


def form_update(application: Application, request: Request, **actor: Any) -> None:
    """The application form changed from the body (staff or applicant)."""
    serializer = valid(inputs.ApplicationInputSerializer, request)
    services.application_update(
        application=application,
        data=serializer.to_input(application.service, agent_name=application.agent_name),
        **actor,
    )


def material_upload(application: Application, request: Request, *, letter: bool = False, **actor: Any) -> None:
    """One material from the multipart body; an applicant's agent may add the
    authorisation letter (`letter`)."""
    data = valid(inputs.AppUploadSerializer, request).validated_data
    extra = {"authorisation_letter": data.get("authorisation_letter")} if letter else {}
    services.material_upload(
        application=application,
        requirement=requirement_of(application, data.get("requirement")),
        extra_kind=data.get("extra_kind") or "",
        file=data["file"],
        **extra,
        **actor,
    )
