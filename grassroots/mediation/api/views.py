"""/api/v1/mediation/cases: the same services as the pages. Every transition
is its own POST; objects outside the caller's subtree answer 404; domain
errors are RFC 7807 problems (409 for a transition the state table forbids).
Sessions, parties, teams, consultations and statistics: views_centre.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.documents import PDF_CONTENT_TYPE, content_disposition
from grassroots.core.inputs import input_from
from grassroots.regions import selectors as region_selectors

from .. import from_matters, selectors
from ..models import DisputeCase, DisputeType, Source
from ..personal_data import agreement_pdf
from ..services import cases as case_services
from ..services import sessions as session_services
from ..services import teams, workflow
from ..states import State
from . import serializers as s
from .common import (
    TAG_CASES,
    CanManage,
    CanView,
    case_answer,
    choice_param,
    int_param,
    party_inputs,
    request_body,
    transition_schema,
)


@extend_schema(tags=[TAG_CASES])
class CaseViewSet(viewsets.GenericViewSet):
    """矛盾纠纷案件:访源、警源、诉源、群众事项转入和当事人申请。只返回本人辖区内的案件;
    当事人身份证号和电话一律脱敏。"""

    permission_classes = [CanView]
    serializer_class = s.MediationCaseListSerializer

    def get_permissions(self) -> list[BasePermission]:
        return [CanManage()] if self.action == "create" else super().get_permissions()

    def get_queryset(self) -> QuerySet[DisputeCase]:
        return selectors.cases_visible_to(user=self.request.user)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Outside the user's subtree is 404 before the body is read, so a
        # refused request says nothing about another branch's rows (ADR 0009, 0030).
        if kwargs.get("pk") is not None:
            self._case(kwargs["pk"])

    def _case(self, pk: Any) -> DisputeCase:
        return selectors.case_get_visible(user=self.request.user, pk=pk)

    def _act(self, request: Request, pk: Any, call: Callable[[DisputeCase], Any]) -> Response:
        case = self._case(pk)
        call(case)
        return case_answer(request, case)

    @extend_schema(
        summary="案件列表",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, description="状态;active 为全部未结案件"),
            OpenApiParameter("source", OpenApiTypes.STR, description="来源:" + "、".join(Source.values)),
            OpenApiParameter("dispute_type", OpenApiTypes.STR, description="纠纷类型:" + "、".join(DisputeType.values)),
            OpenApiParameter("village", OpenApiTypes.INT, description="只列出该节点辖区内的案件"),
            OpenApiParameter("risk", OpenApiTypes.STR, description="high 高风险;escalation 有激化风险"),
            OpenApiParameter("due", OpenApiTypes.STR, description="soon 即将到期;overdue 已超期"),
            OpenApiParameter("mine", OpenApiTypes.BOOL, description="只看本人参与的案件"),
            OpenApiParameter("q", OpenApiTypes.STR, description="案号、案由、来源编号或当事人姓名"),
        ],
    )
    def list(self, request: Request) -> Response:
        village_id = int_param(request, "village")
        query = request.query_params.get("q", "").strip()
        if len(query) > 50:
            raise serializers.ValidationError({"q": ["搜索内容不能超过 50 个字符。"]})
        filters = selectors.QueueFilters(
            state=choice_param(request, "state", ["active", *State.values]),
            source=choice_param(request, "source", list(Source.values)),
            dispute_type=choice_param(request, "dispute_type", list(DisputeType.values)),
            village=region_selectors.node_get_visible(user=request.user, node_id=village_id) if village_id else None,
            risk=choice_param(request, "risk", ["high", "escalation"]),
            due=choice_param(request, "due", ["soon", "overdue"]),
            mine=choice_param(request, "mine", ["true", "false", "1", "0"]) in ("true", "1"),
            query=query,
        )
        page = self.paginate_queryset(selectors.case_queue(user=request.user, filters=filters))
        return self.get_paginated_response(s.MediationCaseListSerializer(page, many=True).data)

    @extend_schema(summary="案件详情", responses=s.MediationCaseDetailSerializer)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return case_answer(request, self._case(pk))

    @extend_schema(
        summary="登记案件", request=s.MediationCaseCreateSerializer, responses={201: s.MediationCaseDetailSerializer}
    )
    def create(self, request: Request) -> Response:
        data = request_body(s.MediationCaseCreateSerializer, request)
        case = case_services.dispute_register(
            actor=request.user,
            data=input_from(case_services.CaseInput, data, parties=party_inputs(data["parties"])),
        )
        return case_answer(request, case, status=201)

    @extend_schema(
        summary="从群众事项转入",
        description="复制事项的标题、内容、发生地和反映人,并在事项中记录案号。已转入的事项返回原案件(200)。",
        request=s.MediationFromMatterSerializer,
        responses={201: s.MediationCaseDetailSerializer, 200: s.MediationCaseDetailSerializer},
    )
    @action(detail=False, methods=["post"], url_path="from-matter", permission_classes=[CanManage])
    def from_matter(self, request: Request) -> Response:
        data = request_body(s.MediationFromMatterSerializer, request)
        matter = from_matters.matter_in_scope(user=request.user, pk=data["matter"])
        existed = from_matters.case_from_matter(matter=matter) is not None
        case = case_services.dispute_from_matter(
            actor=request.user,
            matter=matter,
            dispute_type=data["dispute_type"],
            risk_level=data["risk_level"],
            escalation_risk=data["escalation_risk"],
        )
        return case_answer(request, case, status=200 if existed else 201)

    @transition_schema("受理")
    @action(detail=True, methods=["post"], permission_classes=[CanManage])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, pk, lambda c: workflow.dispute_accept(actor=request.user, case=c))

    @transition_schema("不予受理(写明理由和引导去向)", s.MediationDeclineSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanManage])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        data = request_body(s.MediationDeclineSerializer, request)
        return self._act(request, pk, lambda c: workflow.dispute_decline(actor=request.user, case=c, **data))

    @transition_schema("开始调解(须已指派团队)")
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, pk, lambda c: workflow.dispute_start(actor=request.user, case=c))

    @transition_schema("达成调解协议", s.MediationAgreeSerializer)
    @action(detail=True, methods=["post"])
    def agree(self, request: Request, pk: str | None = None) -> Response:
        data = request_body(s.MediationAgreeSerializer, request)
        return self._act(request, pk, lambda c: workflow.dispute_agree(actor=request.user, case=c, **data))

    @transition_schema("调解不成(引导诉讼、仲裁或信访)", s.MediationFailSerializer)
    @action(detail=True, methods=["post"])
    def fail(self, request: Request, pk: str | None = None) -> Response:
        data = request_body(s.MediationFailSerializer, request)
        return self._act(request, pk, lambda c: workflow.dispute_fail(actor=request.user, case=c, **data))

    @transition_schema("回访(记录协议履行情况)", s.MediationFollowUpInputSerializer)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request: Request, pk: str | None = None) -> Response:
        data = request_body(s.MediationFollowUpInputSerializer, request)
        return self._act(request, pk, lambda c: workflow.dispute_follow_up(actor=request.user, case=c, **data))

    @transition_schema("结案", s.MediationCloseSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanManage])
    def close(self, request: Request, pk: str | None = None) -> Response:
        data = request_body(s.MediationCloseSerializer, request)
        return self._act(request, pk, lambda c: workflow.dispute_close(actor=request.user, case=c, **data))

    @transition_schema("延长调解期限(经双方当事人同意)", s.MediationExtendSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str | None = None) -> Response:
        data = request_body(s.MediationExtendSerializer, request)
        return self._act(request, pk, lambda c: workflow.dispute_extend(actor=request.user, case=c, **data))

    @transition_schema("指派调解团队(1 个调委会 + 1 名法律顾问 + N 名调解员)", s.MediationTeamSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanManage])
    def team(self, request: Request, pk: str | None = None) -> Response:
        data = request_body(s.MediationTeamSerializer, request)
        return self._act(
            request,
            pk,
            lambda c: teams.dispute_assign_team(
                actor=request.user,
                case=c,
                committee=data["committee"],
                legal_adviser=data["legal_adviser"],
                mediators=list(data["mediators"]),
                lead=data.get("lead"),
            ),
        )

    @transition_schema("添加当事人", s.MediationPartyInputSerializer)
    @action(detail=True, methods=["post"], permission_classes=[CanManage])
    def parties(self, request: Request, pk: str | None = None) -> Response:
        data = request_body(s.MediationPartyInputSerializer, request)
        return self._act(
            request,
            pk,
            lambda c: case_services.party_add(actor=request.user, case=c, data=party_inputs([data])[0]),
        )

    @transition_schema("安排调解", s.MediationSessionScheduleSerializer)
    @action(detail=True, methods=["post"])
    def sessions(self, request: Request, pk: str | None = None) -> Response:
        data = request_body(s.MediationSessionScheduleSerializer, request)
        return self._act(
            request,
            pk,
            lambda c: session_services.session_schedule(actor=request.user, case=c, **data),
        )

    @transition_schema("登记司法确认申请(协议生效之日起三十日内)", s.MediationJudicialApplySerializer)
    @action(detail=True, methods=["post"], url_path="judicial-confirmation")
    def judicial_apply(self, request: Request, pk: str | None = None) -> Response:
        data = request_body(s.MediationJudicialApplySerializer, request)
        return self._act(
            request,
            pk,
            lambda c: session_services.judicial_confirmation_apply(actor=request.user, case=c, **data),
        )

    @transition_schema("登记司法确认结果", s.MediationJudicialResultSerializer)
    @action(detail=True, methods=["post"], url_path="judicial-confirmation/result")
    def judicial_result(self, request: Request, pk: str | None = None) -> Response:
        data = request_body(s.MediationJudicialResultSerializer, request)
        return self._act(
            request,
            pk,
            lambda c: session_services.judicial_confirmation_decide(actor=request.user, case=c, **data),
        )

    @transition_schema("添加备注", s.MediationNoteSerializer)
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str | None = None) -> Response:
        data = request_body(s.MediationNoteSerializer, request)
        return self._act(request, pk, lambda c: workflow.dispute_note(actor=request.user, case=c, **data))

    @extend_schema(
        summary="下载人民调解协议书(PDF,留痕)",
        description="本案调解团队成员或有查看完整个人信息权限的用户得到载有完整身份证号的协议书,其他人得到脱敏版本;每次下载都记入审计日志。",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="无调解协议或不在辖区内"),
        },
    )
    @action(detail=True, methods=["get"], url_path="agreement")
    def agreement(self, request: Request, pk: str | None = None) -> HttpResponse:
        case = self._case(pk)
        pdf, _full = agreement_pdf(actor=request.user, case=case)
        response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition(f"人民调解协议书-{case.number}.pdf")
        return response
