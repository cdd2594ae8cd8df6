"""/api/v1/channels/: the same services and selectors as the pages. Group
robots need MANAGE_ROBOTS; a publication's posts and pushing it need
PUBLISH. Objects outside the caller's subtree answer 404; refusals are RFC
7807 problems with Chinese messages and change nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.api.requests import body_data
from grassroots.core.api.viewsets import ScopedViewSet
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.regions.models import Node

from .. import selectors
from ..models import WecomRobot
from ..services import posts as post_services
from ..services import robots as robot_services
from . import serializers as s

TAG = "微信渠道"
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明;未作任何改动)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="群机器人、节点或公示不存在,或不在本人辖区内"),
}
CanManageRobots = HasCapability.of(Capability.MANAGE_ROBOTS)
CanPush = HasCapability.of(Capability.PUBLISH)


@extend_schema(tags=[TAG])
class RobotViewSet(ScopedViewSet):
    """本辖区居民微信群的企业微信群机器人(密钥只显示末 4 位)。"""

    serializer_class = s.ChannelsRobotSerializer
    permission_classes = [CanManageRobots]

    def get_queryset(self) -> QuerySet[WecomRobot]:
        return selectors.robots_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> WecomRobot:
        return selectors.robot_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="群机器人列表", responses={200: s.ChannelsRobotSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ChannelsRobotSerializer(page, many=True).data)

    @extend_schema(
        summary="登记群机器人",
        request=s.ChannelsRobotInputSerializer,
        responses={201: s.ChannelsRobotSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.ChannelsRobotInputSerializer, request)
        node = get_in_scope_or_404(Node.objects.all(), request.user, pk=data["node"])
        robot = robot_services.robot_register(actor=request.user, node=node, name=data["name"], webhook=data["webhook"])
        return Response(s.ChannelsRobotSerializer(robot).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="停用群机器人", request=None, responses={200: s.ChannelsRobotSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: Any = None) -> Response:
        robot = robot_services.robot_retire(actor=request.user, robot=self.visible(pk))
        return Response(s.ChannelsRobotSerializer(robot).data)


@extend_schema(tags=[TAG])
class PublicationPushViewSet(ScopedViewSet):
    """一条公示推送到居民微信群和公众号的记录与结果。"""

    serializer_class = s.ChannelsPostSerializer
    permission_classes = [CanPush]
    pagination_class = None

    def visible(self, pk: Any) -> Any:
        return selectors.publication_for_push(user=self.request.user, pk=pk)

    @extend_schema(summary="公示的推送结果(全部)", responses={200: s.ChannelsPostSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def posts(self, request: Request, pk: Any = None) -> Response:
        publication = self.visible(pk)
        return Response(s.ChannelsPostSerializer(selectors.posts_of(publication=publication), many=True).data)

    @extend_schema(
        summary="推送公示到所选的群和公众号",
        request=s.ChannelsPushInputSerializer,
        responses={201: s.ChannelsPostSerializer(many=True), **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def push(self, request: Request, pk: Any = None) -> Response:
        publication = self.visible(pk)
        data = body_data(s.ChannelsPushInputSerializer, request)
        created = post_services.publication_push(
            actor=request.user, publication=publication, robot_ids=data["robots"], to_account=data["to_account"]
        )
        return Response(s.ChannelsPostSerializer(created, many=True).data, status=status.HTTP_201_CREATED)
