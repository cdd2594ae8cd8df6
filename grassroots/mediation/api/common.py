"""Shared pieces of the mediation API: permissions, query-parameter parsing,
request bodies and the case answer every action returns."""

from __future__ import annotations

import datetime
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.api.requests import refuse
from grassroots.core.inputs import input_from

from .. import permissions, selectors
from ..models import DisputeCase
from ..services import cases as case_services
from . import serializers as s

TAG_CASES = "矛盾纠纷调解"
TAG_TEAMS = "调解团队与法律顾问"
TAG_STATS = "三源治理统计"
CanManage = HasCapability.of(Capability.MANAGE_MEDIATION)
CanConsult = HasCapability.of(Capability.LEGAL_CONSULT)


class CanView(BasePermission):
    """`MEDIATE` or `MANAGE_MEDIATION`; a denial is audited."""

    message = "您的角色没有此项权限。"

    def has_permission(self, request: Any, view: Any) -> bool:
        return permissions.can_view(request.user) or refuse(request, Capability.MEDIATE)


class CanConsultOrManage(CanView):
    def has_permission(self, request: Any, view: Any) -> bool:
        if permissions.can_consult(request.user) or permissions.can_manage(request.user):
            return True
        return super().has_permission(request, view)


def choice_param(request: Request, name: str, allowed: list[str]) -> str:
    value = request.query_params.get(name, "").strip()
    if value and value not in allowed:
        raise serializers.ValidationError({name: [f"“{value}”不是有效的选项。"]})
    return value


def int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise serializers.ValidationError({name: [f"“{raw}”不是有效的编号。"]})
    return int(raw)


def date_param(request: Request, name: str) -> datetime.date | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError({name: ["日期格式应为 YYYY-MM-DD。"]}) from None


def request_body(serializer_class: type[serializers.Serializer], request: Request, **context: Any) -> dict[str, Any]:
    body = serializer_class(data=request.data, context={"request": request, **context})
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


def case_answer(request: Request, case: DisputeCase, *, status: int = 200) -> Response:
    loaded = selectors.case_load(pk=case.pk)
    return Response(s.MediationCaseDetailSerializer(loaded, context={"request": request}).data, status=status)


def party_inputs(rows: list[dict[str, Any]]) -> list[case_services.PartyInput]:
    return [input_from(case_services.PartyInput, row) for row in rows]


def transition_schema(summary: str, body: type[serializers.Serializer] | None = None) -> Any:
    return extend_schema(
        summary=summary,
        request=body or s.MediationEmptySerializer,
        responses={
            200: s.MediationCaseDetailSerializer,
            400: OpenApiResponse(description="输入有误"),
            403: OpenApiResponse(description="角色无权或非本案团队成员"),
            404: OpenApiResponse(description="案件不存在或不在辖区内"),
            409: OpenApiResponse(description="当前状态不允许此操作"),
        },
    )
