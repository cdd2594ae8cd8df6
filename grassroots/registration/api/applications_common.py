"""Shared pieces of the applications API (staff: applications.py; applicants:
applications_public.py): problem descriptions, answers, small look-ups."""

from __future__ import annotations

from typing import Any

from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.errors import DomainError
from grassroots.core.workdays import CalendarNotCovered

from ..models import Application, Commitment, MaterialRequirement
from ..selectors.applications import application_checklist, application_get
from ..services.clock import application_clock
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
