"""/api/v1/evaluation/: the same services as the pages. Staff endpoints need
RUN_APPRAISALS and answer 404 outside the caller's subtree; casting and the
board are public (no login) and record nothing about the caller."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.accounts.permissions import HasCapability
from grassroots.core.documents import PDF_CONTENT_TYPE, content_disposition

from .. import selectors
from ..models import AppraisalSession
from ..permissions import CAPABILITY
from ..services import ballots as ballot_services
from ..services import sessions as session_services
from ..views.sessions import slips_pdf
from . import serializers as s

TAG = "月度评议(评事)"
TAG_PUBLIC = "评议投票与公示(公开)"
CanRun = HasCapability.of(CAPABILITY)
ERRORS = {
    400: OpenApiResponse(description="输入有误"),
    403: OpenApiResponse(description="角色无权"),
    404: OpenApiResponse(description="评议不存在或不在辖区内"),
    409: OpenApiResponse(description="当前状态不允许此操作"),
}


def _body(serializer_class: Any, request: Request) -> dict[str, Any]:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


@extend_schema(tags=[TAG])
class SessionViewSet(viewsets.GenericViewSet):
    """月度评议:评议对象、代表名册、冻结、打印选票、结束投票、结果。"""

    permission_classes = [CanRun]
    serializer_class = s.EvaluationSessionSerializer

    def get_queryset(self) -> Any:
        return selectors.sessions_visible_to(user=self.request.user)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Outside the user's subtree is 404 before the body is read, so a
        # refused request says nothing about another branch's rows (ADR 0009, 0030).
        if kwargs.get("pk") is not None:
            self._session(kwargs["pk"])

    def _session(self, pk: Any) -> AppraisalSession:
        return selectors.session_get_visible(user=self.request.user, pk=pk)

    def _answer(self, session: AppraisalSession, status: int = 200) -> Response:
        session.refresh_from_db()
        return Response(s.EvaluationSessionSerializer(session).data, status=status)

    @extend_schema(summary="评议列表")
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.EvaluationSessionSerializer(page, many=True).data)

    @extend_schema(
        summary="新建评议(幂等)",
        request=s.EvaluationSessionCreateSerializer,
        responses={201: s.EvaluationSessionSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = _body(s.EvaluationSessionCreateSerializer, request)
        village = selectors.village_visible(user=request.user, pk=data["village"])
        if village is None:
            raise Http404("村/社区不存在或不在辖区内。")
        session, created = session_services.session_create(village=village, month=data["month"], actor=request.user)
        return self._answer(session, 201 if created else 200)

    @extend_schema(summary="评议详情")
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._answer(self._session(pk))

    @extend_schema(
        summary="冻结评议",
        request=s.EvaluationEmptySerializer,
        responses={200: s.EvaluationSessionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def freeze(self, request: Request, pk: Any = None) -> Response:
        session = session_services.session_freeze(session=self._session(pk), actor=request.user)
        return self._answer(session)

    @extend_schema(
        summary="生成投票码并下载选票 PDF(明文投票码只出现在此响应中)",
        request=s.EvaluationEmptySerializer,
        responses={(200, PDF_CONTENT_TYPE): OpenApiTypes.BINARY, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def slips(self, request: Request, pk: Any = None) -> HttpResponse:
        session = self._session(pk)
        codes = ballot_services.slips_issue(session=session, actor=request.user)
        session.refresh_from_db()
        response = HttpResponse(slips_pdf(session, codes), content_type=PDF_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition(f"评议选票-{session.pk}-{session.slips_batch}.pdf")
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(
        summary="结束投票(作废交回的选票、核对、发布公示板)",
        request=s.EvaluationCloseSerializer,
        responses={200: s.EvaluationSessionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        data = _body(s.EvaluationCloseSerializer, request)
        session = ballot_services.session_close(
            session=self._session(pk), attendance=data["attendance"], void_codes=data["void_codes"], actor=request.user
        )
        return self._answer(session)

    @extend_schema(
        summary="评议结果(结束后;少于 5 票的人员不公布)",
        responses={200: s.EvaluationResultSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: Any = None) -> Response:
        rows = ballot_services.results_build(session=self._session(pk))
        return Response(s.EvaluationResultSerializer(rows, many=True).data)

    @extend_schema(
        summary="录入纸质计票(双人独立录入,更正留痕)",
        request=s.EvaluationPaperTallySerializer,
        responses={200: s.EvaluationSessionSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="paper-tally")
    def paper_tally(self, request: Request, pk: Any = None) -> Response:
        data = _body(s.EvaluationPaperTallySerializer, request)
        session = self._session(pk)
        session_services.paper_tally_enter(
            session=session, actor=request.user, counts=data["counts"], ballots=data["ballots"], reason=data["reason"]
        )
        return self._answer(session)


@extend_schema(tags=[TAG_PUBLIC])
class VoteView(APIView):
    """投出选票(无需登录;不记录投票人、IP、时间)。"""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        summary="投票", request=s.EvaluationVoteSerializer, responses={201: s.EvaluationReceiptSerializer, **ERRORS}
    )
    def post(self, request: Request, pk: int) -> Response:
        data = _body(s.EvaluationVoteSerializer, request)
        if selectors.session_public_get(pk=pk) is None:
            raise Http404("评议不存在或尚未开始投票。")
        ballot = ballot_services.ballot_cast(session_id=pk, code=data["code"], choices=data["choices"])
        return Response({"tracker": ballot.tracker, "choices": ballot.choices}, status=201)


@extend_schema(tags=[TAG_PUBLIC])
class BoardView(APIView):
    """选票公示板(结束后公开)。"""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        summary="选票公示板", responses={200: OpenApiTypes.OBJECT, 404: OpenApiResponse(description="不存在或尚未结束")}
    )
    def get(self, request: Request, pk: int) -> Response:
        session = selectors.session_public_get(pk=pk)
        if session is None or session.state != "closed":
            raise Http404("投票结束后才公布选票公示板。")
        return Response(ballot_services.board_build(session=session))
