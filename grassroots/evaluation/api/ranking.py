"""/api/v1/evaluation/ranking…: the red/yellow list (评事考评排行) over the API, with
the same rules as the page (views/ranking.py).

Everyone with RUN_APPRAISALS reads the list and the rule of their own
subdistrict (a village-level user: the subdistrict above it), full names
included (staff only, like the page). Only subdistrict staff of that very
subdistrict change the rule and generate the publication draft; others get a
403 problem and the refusal is audited. The list is always computed for the
caller's own subdistrict: no parameter names another one."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.core.api.fields import MonthField
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError, NotFound, PermissionDenied
from grassroots.core.months import MONTH_ERROR, parse_month
from grassroots.publicity.models import State as PublicationState
from grassroots.regions.models import Node

from .. import ranking as r
from .. import selectors
from ..models import RankingRule
from ..services.ballots import MIN_BALLOTS_PER_PERSON
from ..services.sessions import previous_month
from .views import TAG, CanRun

STATUS_CHOICES = [(key, label) for key, label in r.STATUS_LABELS.items()]
RULE_MESSAGE = "只有街道工作人员可以修改评事考评排行规则。"
PUBLISH_MESSAGE = "只有街道工作人员可以生成评事考评排行公示。"

ERRORS = {
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色无权(需组织月度评议权限;修改规则和生成公示仅限本街道工作人员)"),
    404: OpenApiResponse(description="本人辖区不属于任何街道"),
}
BAD_INPUT = {400: OpenApiResponse(description="输入有误(RFC 7807,中文说明,含 field;未作任何改动)")}


# --- Serializers ---------------------------------------------------------------


class EvaluationRankingSubdistrictSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EvaluationRankingRuleValuesSerializer(serializers.Serializer):
    months = serializers.IntegerField(help_text="统计月数(1–12)")
    min_months = serializers.IntegerField(help_text="至少有结果的月数(1–统计月数)")
    red_min = serializers.IntegerField(help_text="表扬名单满意度不低于(%,0–100)")
    yellow_below = serializers.IntegerField(help_text="督促名单满意度低于(%,0–表扬名单满意度)")
    unsatisfied_share_max = serializers.IntegerField(help_text="单月不满意票占比达到(%,1–100)即上督促名单")


class EvaluationRankingRuleSerializer(EvaluationRankingRuleValuesSerializer):
    subdistrict = EvaluationRankingSubdistrictSerializer()
    saved = serializers.BooleanField(help_text="false:尚未设置,使用默认规则")
    updated_at = serializers.DateTimeField(allow_null=True)
    updated_by = serializers.CharField(allow_null=True, help_text="最近修改人姓名")
    sentence = serializers.CharField(help_text="规则的中文说明")
    can_manage = serializers.BooleanField(help_text="当前用户能否修改规则、生成公示")


class EvaluationRankingMonthSerializer(serializers.Serializer):
    month = MonthField(help_text="YYYY-MM")
    satisfaction = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        help_text="该月满意度(%,截断到一位小数);该月无评议或有效票不足而不公布时为 null",
    )
    ballots = serializers.IntegerField(source="total", help_text="该月计入的有效票(不公布的月份为 0)")


class EvaluationRankingRowSerializer(serializers.Serializer):
    staff_id = serializers.IntegerField()
    name = serializers.CharField(help_text="姓名(全名,仅工作人员可见)")
    villages = serializers.ListField(child=serializers.CharField(), help_text="被评议的村/社区")
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    status_label = serializers.CharField()
    satisfaction = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="统计期满意度(%,截断到一位小数)"
    )
    months_with_results = serializers.IntegerField()
    ballots = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="上督促名单原因")
    monthly = EvaluationRankingMonthSerializer(source="cells", many=True)


class EvaluationRankingPeriodSerializer(serializers.Serializer):
    # "from" is a Python keyword: the field is declared as from_ and renamed.
    from_ = MonthField(help_text="起始月份 YYYY-MM")
    to = MonthField(help_text="截止月份 YYYY-MM")
    label = serializers.CharField(help_text="如“2026年8月—10月”")

    def get_fields(self) -> dict[str, serializers.Field]:
        return {("from" if name == "from_" else name): field for name, field in super().get_fields().items()}


class EvaluationRankingSerializer(serializers.Serializer):
    subdistrict = EvaluationRankingSubdistrictSerializer()
    month = MonthField(help_text="截止月份 YYYY-MM")
    period = EvaluationRankingPeriodSerializer()
    months = serializers.ListField(child=MonthField(), help_text="统计期内的月份 YYYY-MM")
    rule = EvaluationRankingRuleValuesSerializer()
    rule_sentence = serializers.CharField()
    min_ballots = serializers.IntegerField(help_text="某人某月有效票少于此数时该月不公布、不计入")
    session_count = serializers.IntegerField(help_text="统计期内已结束的月度评议场数")
    can_manage = serializers.BooleanField()
    red = EvaluationRankingRowSerializer(many=True)
    yellow = EvaluationRankingRowSerializer(many=True)
    normal = EvaluationRankingRowSerializer(many=True)
    not_ranked = EvaluationRankingRowSerializer(many=True)


class EvaluationRankingPublishSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="截止月份 YYYY-MM")


class EvaluationRankingPublicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.ChoiceField(choices=PublicationState.choices)
    state_display = serializers.CharField()
    url = serializers.CharField(help_text="公示页面(工作人员)地址")


# --- Helpers -------------------------------------------------------------------


def _subdistrict(request: Request) -> Node:
    try:
        return selectors.subdistrict_for(user=request.user)
    except Http404 as exc:
        raise NotFound("您的辖区不属于任何街道。") from exc


def _month(raw: Any, *, required: bool) -> datetime.date:
    """The month asked for; none given: last month (GET) or a 400 (publish)."""
    if raw is None or raw == "":
        if required:
            raise DomainError("month_required", "请填写截止月份(YYYY-MM)。", field="month")
        return previous_month(timezone.localdate())
    month = parse_month(raw) if isinstance(raw, str) else None
    if month is None:
        raise DomainError("invalid_month", MONTH_ERROR, field="month")
    return month


def _object(request: Request) -> Mapping[str, Any]:
    if not isinstance(request.data, Mapping):
        raise DomainError("invalid_body", "请求内容应为 JSON 对象。")
    return request.data


def _require_manager(request: Request, subdistrict: Node, message: str) -> None:
    """The page's rule: subdistrict staff of this subdistrict only; a refusal is audited."""
    if not r.can_manage(request.user, subdistrict):
        audit_record(
            action=AuditAction.DENIED,
            request=request,
            result="denied",
            detail={"capability": "ranking_manage", "path": request.path},
        )
        raise PermissionDenied(message)


def _subdistrict_data(subdistrict: Node) -> dict[str, Any]:
    return {"id": subdistrict.pk, "name": subdistrict.label}


def _rule_data(request: Request, subdistrict: Node, rule: RankingRule) -> dict[str, Any]:
    saved = rule.pk is not None
    return {
        **r.rule_values(rule),
        "subdistrict": _subdistrict_data(subdistrict),
        "saved": saved,
        "updated_at": rule.updated_at if saved else None,
        "updated_by": str(rule.updated_by) if saved and rule.updated_by is not None else None,
        "sentence": r.rule_sentence(rule),
        "can_manage": r.can_manage(request.user, subdistrict),
    }


# --- Views ---------------------------------------------------------------------


class RankingView(APIView):
    """评事考评排行:本人所在街道的表扬名单、督促名单、一般和未达到统计条件的工作人员。"""

    permission_classes = [CanRun]

    @extend_schema(
        tags=[TAG],
        summary="评事考评排行(本人所在街道,默认截止上个月)",
        parameters=[OpenApiParameter("month", OpenApiTypes.STR, description="截止月份 YYYY-MM,默认上个月")],
        responses={200: EvaluationRankingSerializer, **BAD_INPUT, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        month = _month(request.query_params.get("month"), required=False)
        subdistrict = _subdistrict(request)
        rule = r.rule_for(subdistrict)
        ranking = r.ranking_build(subdistrict=subdistrict, end_month=month, rule=rule)
        data = {
            "subdistrict": _subdistrict_data(subdistrict),
            "month": month,
            "period": {
                "from": ranking.start_month,
                "to": ranking.end_month,
                "label": ranking.period_label,
            },
            "months": ranking.months,
            "rule": r.rule_values(rule),
            "rule_sentence": ranking.rule_sentence,
            "min_ballots": MIN_BALLOTS_PER_PERSON,
            "session_count": ranking.session_count,
            "can_manage": r.can_manage(request.user, subdistrict),
            "red": ranking.red,
            "yellow": ranking.yellow,
            "normal": ranking.normal,
            "not_ranked": ranking.unranked,
        }
        return Response(EvaluationRankingSerializer(data).data)


class RankingRuleView(APIView):
    """评事考评排行规则:读取本街道现行规则(已保存或默认);街道工作人员可修改。"""

    permission_classes = [CanRun]

    @extend_schema(tags=[TAG], summary="评事考评排行规则", responses={200: EvaluationRankingRuleSerializer, **ERRORS})
    def get(self, request: Request) -> Response:
        subdistrict = _subdistrict(request)
        rule = r.rule_for(subdistrict)
        return Response(EvaluationRankingRuleSerializer(_rule_data(request, subdistrict, rule)).data)

    @extend_schema(
        tags=[TAG],
        summary="修改评事考评排行规则(仅本街道工作人员;留痕)",
        request=EvaluationRankingRuleValuesSerializer,
        responses={200: EvaluationRankingRuleSerializer, **BAD_INPUT, **ERRORS},
    )
    def put(self, request: Request) -> Response:
        subdistrict = _subdistrict(request)
        _require_manager(request, subdistrict, RULE_MESSAGE)
        values = {str(key): value for key, value in _object(request).items()}
        if set(values) - set(r.RULE_FIELDS):  # before they could clash with rule_save's own arguments
            raise DomainError("rule_unknown_field", "规则中有无法识别的项目。")
        # The service checks every value (integers only, ranges) with Chinese messages.
        r.rule_save(actor=request.user, subdistrict=subdistrict, **values)
        rule = r.rule_for(subdistrict)
        return Response(EvaluationRankingRuleSerializer(_rule_data(request, subdistrict, rule)).data)


class RankingPublishView(APIView):
    """生成评事考评排行公示草稿(仅本街道工作人员),核对后在公示页面发布。"""

    permission_classes = [CanRun]

    @extend_schema(
        tags=[TAG],
        summary="生成评事考评排行公示草稿(同一榜单重复生成时返回原草稿,状态码 200)",
        request=EvaluationRankingPublishSerializer,
        responses={
            201: EvaluationRankingPublicationSerializer,
            200: EvaluationRankingPublicationSerializer,
            **BAD_INPUT,
            **ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        subdistrict = _subdistrict(request)
        _require_manager(request, subdistrict, PUBLISH_MESSAGE)
        month = _month(_object(request).get("month"), required=True)
        drafts = selectors.ranking_draft_ids(subdistrict=subdistrict)
        publication = r.ranking_publish(actor=request.user, subdistrict=subdistrict, end_month=month)
        data = {
            "id": publication.pk,
            "title": publication.title,
            "state": publication.state,
            "state_display": publication.get_state_display(),
            "url": reverse("publicity:detail", args=[publication.pk]),
        }
        code = status.HTTP_200_OK if publication.pk in drafts else status.HTTP_201_CREATED
        return Response(EvaluationRankingPublicationSerializer(data).data, status=code)
