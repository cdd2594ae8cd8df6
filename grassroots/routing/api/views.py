"""/api/v1/routing/: the category suggestion for a text (what the intake
forms call while staff type) and the monthly accuracy of the suggestions.
Suggesting needs VIEW_MATTERS, the accuracy VIEW_ROUTING (the subdistrict);
the accuracy counts only suggestions in the caller's subtree."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.api.requests import body_data, query_data
from grassroots.core.api.schema import SingleObjectSchema

from .. import selectors
from ..advisor import NO_MODEL_HINT
from ..config import low_confidence
from . import serializers as s

TAG = "分类推荐"
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限"),
}


@extend_schema(tags=[TAG])
class SuggestViewSet(viewsets.GenericViewSet):
    """按文字推荐事项分类(前三,含置信度、责任单位和办理时限)。只推荐,不保存。"""

    serializer_class = s.SuggestSerializer
    permission_classes = [HasCapability.of(Capability.VIEW_MATTERS)]
    pagination_class = None

    @extend_schema(summary="推荐分类", request=s.SuggestInputSerializer, responses={200: s.SuggestSerializer, **ERRORS})
    def create(self, request: Request) -> Response:
        data = body_data(s.SuggestInputSerializer, request)
        version, options = selectors.text_options(text=f"{data['title']} {data['text']}")
        return Response(
            s.SuggestSerializer(
                {
                    "model_version": version.label if version else None,
                    "low_confidence": bool(options) and low_confidence(options[0].confidence),
                    "suggestions": options,
                    "hint": "" if version else NO_MODEL_HINT,
                }
            ).data
        )


@extend_schema(tags=[TAG])
class AccuracyViewSet(viewsets.GenericViewSet):
    """某月分类推荐的准确率(本人辖区):直接采纳率、前三命中率、各分类。"""

    serializer_class = s.AccuracySerializer
    permission_classes = [HasCapability.of(Capability.VIEW_ROUTING)]
    pagination_class = None
    schema = SingleObjectSchema()

    @extend_schema(
        summary="月度准确率", parameters=[s.AccuracyQuerySerializer], responses={200: s.AccuracySerializer, **ERRORS}
    )
    def list(self, request: Request) -> Response:
        data = query_data(s.AccuracyQuerySerializer, request)
        month = data.get("month") or timezone.localdate().replace(day=1)
        acc = selectors.accuracy_month(user=request.user, month=month)
        return Response(s.AccuracySerializer(acc).data)
