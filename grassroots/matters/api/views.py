"""/api/v1/matters …: the staff API on the same services as the pages. One
POST endpoint per transition; domain errors become RFC 7807 problems through
the project's handler (400 bad input, 403 capability, 404 outside the
subtree, 409 forbidden transition or stale state)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.errors import Conflict
from grassroots.core.inputs import input_from
from grassroots.core.publishing import publisher
from grassroots.core.scoping import path_in_scope

from .. import selectors
from ..models import Matter, ReopenRequest
from ..services import feedback, lifecycle
from ..services.intake import MatterInput, matter_create
from .serializers import (
    MatterAcceptSerializer,
    MatterAssignSerializer,
    MatterCategorySerializer,
    MatterCreateSerializer,
    MatterDetailSerializer,
    MatterDuplicateSerializer,
    MatterEventSerializer,
    MatterFilterSerializer,
    MatterMergeSerializer,
    MatterNoteSerializer,
    MatterPublicationSerializer,
    MatterReasonSerializer,
    MatterReopenAnswerSerializer,
    MatterReopenRequestSerializer,
    MatterResolveSerializer,
    MatterSerializer,
)

TAG = "事项"
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "幂等键(最长 64 个字符):同一键、同一内容的重试返回第一次创建的事项(200),不会重复创建;同一键、不同内容返回 422。"
    ),
)
PROBLEM_RESPONSES = {
    400: OpenApiResponse(description="输入有误(RFC 7807,errors 列出各字段)"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="事项不存在或不在本人辖区内"),
    409: OpenApiResponse(description="当前状态不允许此操作,或已被他人处理"),
}

# The capability each endpoint needs before anything is looked up; the
# services check the finer rules (resolve: the assignee or a handler).
CAPABILITIES: dict[str, str] = {
    "create": Capability.RECORD_MATTERS,
    "accept": Capability.HANDLE_MATTERS,
    "reject": Capability.HANDLE_MATTERS,
    "merge": Capability.HANDLE_MATTERS,
    "assign": Capability.HANDLE_MATTERS,
    "close": Capability.HANDLE_MATTERS,
    "reopen": Capability.HANDLE_MATTERS,
    "escalate": Capability.HANDLE_MATTERS,
    "joint_meeting": Capability.JOINT_MEETING,
}


def _transition_schema(summary: str, request: Any = None, description: str = "") -> Any:
    return extend_schema(
        summary=summary,
        description=description or None,
        request=request,
        responses={200: MatterDetailSerializer, **PROBLEM_RESPONSES},
    )


@extend_schema(tags=[TAG])
@extend_schema_view(
    list=extend_schema(
        summary="事项列表(本人辖区)",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, description="状态"),
            OpenApiParameter("category", OpenApiTypes.INT, description="分类编号"),
            OpenApiParameter("node", OpenApiTypes.INT, description="只列出该节点辖区内的事项"),
            OpenApiParameter("channel", OpenApiTypes.STR, description="渠道"),
            OpenApiParameter(
                "overdue", OpenApiTypes.STR, enum=["late", "late3"], description="late:已逾期;late3:严重逾期"
            ),
            OpenApiParameter("date_from", OpenApiTypes.DATE, description="反映日期起"),
            OpenApiParameter("date_to", OpenApiTypes.DATE, description="反映日期止"),
            OpenApiParameter("q", OpenApiTypes.STR, description="全文搜索(两个汉字即可)"),
        ],
    ),
    retrieve=extend_schema(summary="事项详情", responses={200: MatterDetailSerializer, 404: PROBLEM_RESPONSES[404]}),
)
class MatterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """群众反映的事项:受理、交办、办结、关闭的全过程。只能看到和办理本人辖区内的事项。"""

    serializer_class = MatterSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_permissions(self) -> list[BasePermission]:
        capability = CAPABILITIES.get(self.action or "", Capability.VIEW_MATTERS)
        if self.action == "publications" and self.request.method == "POST":
            capability = Capability.PUBLISH
        return [HasCapability.of(capability)()]

    def get_queryset(self) -> QuerySet[Matter]:
        return selectors.matters_for_api(user=self.request.user)

    def get_serializer_class(self) -> Any:
        return MatterDetailSerializer if self.action == "retrieve" else MatterSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        params = MatterFilterSerializer(data=request.query_params, context={"request": request})
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        queryset = selectors.matters_visible_to(
            user=request.user,
            state=data.get("state"),
            category=data.get("category"),
            node=data.get("node"),
            channel=data.get("channel"),
            overdue=data.get("overdue"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            query=(data.get("q") or "").strip(),
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(MatterSerializer(page, many=True).data)

    def _detail(self, matter: Matter, code: int = status.HTTP_200_OK) -> Response:
        fresh = selectors.matter_for_api(user=self.request.user, pk=matter.pk)
        return Response(MatterDetailSerializer(fresh).data, status=code)

    def _body(self, serializer_class: type[serializers.Serializer], **kwargs: Any) -> dict[str, Any]:
        body = serializer_class(data=self.request.data, context={"request": self.request}, **kwargs)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    @extend_schema(
        summary="登记事项(工作人员代群众登记)",
        description="微信群转办、热线、来访、走访。请求头 Idempotency-Key 可防止手机网络重试造成重复登记。",
        parameters=[IDEMPOTENCY_HEADER],
        request=MatterCreateSerializer,
        responses={
            201: MatterDetailSerializer,
            200: MatterDetailSerializer,
            **PROBLEM_RESPONSES,
            422: OpenApiResponse(description="幂等键已用于内容不同的另一次提交(RFC 7807),未登记"),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 64:
            raise serializers.ValidationError({"Idempotency-Key": ["幂等键不能超过 64 个字符。"]})
        data = self._body(MatterCreateSerializer)
        files = request.FILES.getlist("attachments") if hasattr(request, "FILES") else []
        matter, created = matter_create(
            data=input_from(MatterInput, data),
            files=files,
            actor=request.user,
            idempotency_key=key or None,
        )
        if not created and not path_in_scope(matter.path, request.user):
            raise Conflict("idempotency_key_reused", "该幂等键已被使用,请换一个新的键重新提交。")
        return self._detail(matter, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @_transition_schema("受理", MatterAcceptSerializer, "待受理 → 已受理;按分类时限以工作日计算办理期限。")
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        data = self._body(MatterAcceptSerializer)
        return self._detail(lifecycle.matter_accept(actor=request.user, matter=matter, **data))

    @_transition_schema("不予受理", MatterReasonSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        data = self._body(MatterReasonSerializer)
        lifecycle.matter_reject(actor=request.user, matter=matter, reason=data["reason"])
        return self._detail(matter)

    @_transition_schema("合并到另一事项", MatterMergeSerializer, "反映人随后收到主事项的进展。")
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        data = self._body(MatterMergeSerializer)
        lifecycle.matter_merge(actor=request.user, matter=matter, into=data["into"])
        return self._detail(matter)

    @_transition_schema("交办(或改派)", MatterAssignSerializer, "已受理 → 办理中;办理中再次交办为改派。")
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        data = self._body(MatterAssignSerializer, matter=matter)
        lifecycle.matter_assign(actor=request.user, matter=matter, assignee=data["assignee"], plan=data["plan"])
        return self._detail(matter)

    @_transition_schema(
        "办结", MatterResolveSerializer, "办理中 → 已办结。承办人或有办理权限的工作人员可办结;附件公开。"
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        data = self._body(MatterResolveSerializer)
        lifecycle.matter_resolve(actor=request.user, matter=matter, result=data["result"], files=data["files"])
        return self._detail(matter)

    @_transition_schema("关闭", None, "已办结 → 已关闭;涉及集体利益的事项须先公示理事方案和理事结果。")
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        lifecycle.matter_close(actor=request.user, matter=matter)
        return self._detail(matter)

    @_transition_schema("重新办理", MatterReasonSerializer, "已办结或关闭后 14 日内 → 办理中。")
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        data = self._body(MatterReasonSerializer)
        lifecycle.matter_reopen(actor=request.user, matter=matter, reason=data["reason"])
        return self._detail(matter)

    @extend_schema(
        summary="添加内部备注或公开答复",
        request=MatterNoteSerializer,
        responses={201: MatterEventSerializer, **PROBLEM_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        data = self._body(MatterNoteSerializer)
        event = lifecycle.matter_add_note(actor=request.user, matter=matter, text=data["text"], public=data["public"])
        return Response(MatterEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @_transition_schema("升级督办(上升一级)", MatterReasonSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        data = self._body(MatterReasonSerializer)
        lifecycle.matter_escalate(actor=request.user, matter=matter, reason=data["reason"])
        return self._detail(matter)

    @_transition_schema("列入街道联席会议", MatterReasonSerializer)
    @action(detail=True, methods=["post"], url_path="joint-meeting")
    def joint_meeting(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        data = self._body(MatterReasonSerializer)
        lifecycle.matter_request_joint_meeting(actor=request.user, matter=matter, reason=data["reason"])
        return self._detail(matter)

    @extend_schema(
        methods=["GET"],
        summary="公示记录",
        responses={200: MatterPublicationSerializer(many=True), 404: PROBLEM_RESPONSES[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary="发布公示(理事方案或理事结果)",
        request=MatterPublicationSerializer,
        responses={201: MatterPublicationSerializer, **PROBLEM_RESPONSES},
    )
    @action(detail=True, methods=["get", "post"])
    def publications(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        if request.method == "GET":
            return Response(MatterPublicationSerializer(selectors.matter_publications(matter=matter), many=True).data)
        data = self._body(MatterPublicationSerializer)
        publication = publisher().publish(actor=request.user, matter=matter, **data)
        return Response(MatterPublicationSerializer(publication).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="可能重复的事项",
        description="同一村/社区、近 30 天、文本相似的事项,按相似度排序。",
        responses={200: MatterDuplicateSerializer(many=True), 404: PROBLEM_RESPONSES[404]},
    )
    @action(detail=True, methods=["get"])
    def duplicates(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        rows = [{"matter": m, "score": round(score, 3)} for m, score in selectors.duplicates_for(matter=matter)]
        return Response(MatterDuplicateSerializer(rows, many=True).data)

    @extend_schema(
        summary="办理过程(全部动态,含内部备注)",
        responses={200: MatterEventSerializer(many=True), 404: PROBLEM_RESPONSES[404]},
    )
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: str | None = None) -> Response:
        matter = self.get_object()
        events = selectors.matter_events(matter=matter)
        return Response(MatterEventSerializer(events, many=True).data)


@extend_schema(tags=["事项分类"])
@extend_schema_view(list=extend_schema(summary="事项分类(两级)"), retrieve=extend_schema(summary="事项分类详情"))
class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """两级事项分类;二级分类带责任单位类型和办理时限(工作日)。"""

    permission_classes = [HasCapability.of(Capability.VIEW_MATTERS)]
    serializer_class = MatterCategorySerializer
    pagination_class = None
    queryset = selectors.categories_for_api()


@extend_schema(tags=["事项"])
class ReopenRequestViewSet(viewsets.GenericViewSet):
    """群众提出的重新办理申请。"""

    permission_classes = [HasCapability.of(Capability.HANDLE_MATTERS)]
    serializer_class = MatterReopenRequestSerializer

    def get_queryset(self) -> QuerySet[ReopenRequest]:
        return selectors.reopen_requests_in_scope(user=self.request.user)

    @extend_schema(
        summary="答复重新办理申请",
        description="同意则事项回到办理中;不同意须说明理由。",
        request=MatterReopenAnswerSerializer,
        responses={200: MatterReopenRequestSerializer, **PROBLEM_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        reopen = self.get_object()
        body = MatterReopenAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        feedback.reopen_request_answer(
            actor=request.user,
            reopen_request=reopen,
            grant=body.validated_data["grant"],
            answer=body.validated_data["answer"],
        )
        reopen.refresh_from_db()
        return Response(MatterReopenRequestSerializer(reopen).data)
