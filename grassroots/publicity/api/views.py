"""/api/v1/publicity/: the same services as the staff pages. Every endpoint
needs PUBLISH; publications and their sources outside the caller's subtree
answer 404; rule violations are RFC 7807 problems with Chinese messages and
change nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.api.requests import body_data
from grassroots.core.publishing import sources
from grassroots.regions.selectors import node_get_visible

from .. import selectors, services
from ..models import Kind, Publication, State
from . import serializers as s

TAG = "公示(晒事)"
CanPublish = HasCapability.of(Capability.PUBLISH)
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明;未作任何改动)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有公示权限"),
    404: OpenApiResponse(description="公示或其来源不存在,或不在本人辖区内"),
    409: OpenApiResponse(description="公示当前状态不允许此操作,或已被他人处理(未作任何改动)"),
}


def _sources(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    """The source rows the body names ({"matter": …}), each in the caller's
    subtree (404 otherwise), loaded by their source (ADR 0033)."""
    return {
        source.field: source.load(request.user, data[source.field])
        for source in sources()
        if data.get(source.field) is not None
    }


def _node(request: Request, pk: int | None) -> Any:
    if pk is None:
        return None
    return node_get_visible(user=request.user, node_id=pk)


@extend_schema(tags=[TAG])
class PublicationViewSet(viewsets.GenericViewSet):
    """公示:理事方案、理事结果、议事决议、评议结果和评事考评排行。草稿可修改,发布后只能撤回。"""

    permission_classes = [CanPublish]
    serializer_class = s.PublicityPublicationSerializer

    def get_queryset(self) -> QuerySet[Publication]:
        return selectors.publications_for_api(user=self.request.user)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Outside the user's subtree is 404 before the body is read, so a
        # refused request says nothing about another branch's rows (ADR 0009, 0030).
        if kwargs.get("pk") is not None:
            self._publication(kwargs["pk"])

    def _publication(self, pk: Any) -> Publication:
        return selectors.publication_get_visible(user=self.request.user, pk=pk)

    def _answer(self, publication: Publication, code: int = status.HTTP_200_OK) -> Response:
        loaded = self.get_queryset().get(pk=publication.pk)
        return Response(s.PublicityPublicationSerializer(loaded).data, status=code)

    @extend_schema(
        summary="公示列表(本人辖区,草稿在前)",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, description="状态:" + "、".join(State.values)),
            OpenApiParameter("kind", OpenApiTypes.STR, description="公示内容:" + "、".join(Kind.values)),
            OpenApiParameter("q", OpenApiTypes.STR, description="标题、正文或事项编号"),
        ],
        responses={200: s.PublicityPublicationSerializer(many=True), **ERRORS},
    )
    def list(self, request: Request) -> Response:
        params = s.PublicityFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        rows = selectors.publication_api_list(
            user=request.user, state=data.get("state") or "", kind=data.get("kind") or "", query=data.get("q") or ""
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(s.PublicityPublicationSerializer(page, many=True).data)

    @extend_schema(
        summary="新建公示(草稿,或 publish=true 立即发布)",
        description=(
            "kind 为 plan/result 时须给 matter,resolution 给已结束的 meeting,appraisal 给已结束的月度评议,"
            "ranking 给街道 node。来源不在本人辖区内时返回 404。"
        ),
        request=s.PublicityCreateSerializer,
        responses={201: s.PublicityPublicationSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.PublicityCreateSerializer, request)
        publication = services.publication_create(
            actor=request.user,
            kind=data["kind"],
            title=data["title"],
            content=data["content"],
            channels=data["channels"],
            **_sources(request, data),
            node=_node(request, data.get("node")),
            data=data.get("data") or None,
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            publish=data["publish"],
        )
        return self._answer(publication, status.HTTP_201_CREATED)

    @extend_schema(summary="公示详情", responses={200: s.PublicityPublicationSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._answer(self._publication(pk))

    def _update(self, request: Request, pk: Any, *, partial: bool) -> Response:
        publication = self._publication(pk)
        data = body_data(s.PublicityUpdateSerializer, request, partial=partial)
        current = {
            "title": publication.title,
            "content": publication.content,
            "channels": publication.channels,
            "starts_on": publication.starts_on,
            "ends_on": publication.ends_on,
        }
        if not partial:
            current.update(starts_on=None, ends_on=None)
        current.update(data)
        publication = services.publication_update(actor=request.user, publication=publication, **current)
        return self._answer(publication)

    @extend_schema(
        summary="修改草稿(全部字段)",
        request=s.PublicityUpdateSerializer,
        responses={200: s.PublicityPublicationSerializer, **ERRORS},
    )
    def update(self, request: Request, pk: Any = None) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        summary="修改草稿(部分字段)",
        request=s.PublicityUpdateSerializer,
        responses={200: s.PublicityPublicationSerializer, **ERRORS},
    )
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        return self._update(request, pk, partial=True)

    @extend_schema(
        summary="发布草稿(默认从今天起公示 5 个工作日)",
        request=s.PublicityPublishSerializer,
        responses={200: s.PublicityPublicationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.PublicityPublishSerializer, request)
        publication = services.publication_publish(
            actor=request.user,
            publication=self._publication(pk),
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
        )
        return self._answer(publication)

    @extend_schema(
        summary="撤回公示(须说明原因,记入审计日志)",
        request=s.PublicityWithdrawSerializer,
        responses={200: s.PublicityPublicationSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.PublicityWithdrawSerializer, request)
        publication = services.publication_withdraw(
            actor=request.user, publication=self._publication(pk), reason=data["reason"]
        )
        return self._answer(publication)

    @extend_schema(
        summary="群众异议(每条异议已登记为事项)",
        responses={200: s.PublicityObjectionSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def objections(self, request: Request, pk: Any = None) -> Response:
        publication = self._publication(pk)
        rows = selectors.objections_of(publication=publication)
        return Response(s.PublicityObjectionSerializer(rows, many=True).data)
