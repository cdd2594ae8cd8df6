"""/api/v1/addresses/: the same services as the pages. Reading needs
VIEW_ADDRESSES; collecting COLLECT_ADDRESSES (grid workers), verifying
VERIFY_ADDRESSES (village staff), signing off, creating and campaigns
MANAGE_ADDRESSES (the subdistrict); sending back either of the last two.
Rows outside the caller's subtree answer 404; rule violations are RFC 7807
problems with Chinese messages and change nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.api.requests import body_data, filter_equal, query_data, refuse
from grassroots.core.api.viewsets import ScopedViewSet
from grassroots.core.inputs import input_from
from grassroots.core.scoping import get_in_scope_or_404, user_scope_path
from grassroots.regions.models import Node

from .. import selectors
from ..models import Address, Campaign, Kind
from ..permissions import can_act, capability_of
from ..services import addresses as services
from ..services import campaigns
from ..services.addresses import AddressInput
from ..states import Action, State
from . import serializers as s

TAG = "标准地址"
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明;未作任何改动)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="地址、核采或节点不存在,或不在本人辖区内"),
    409: OpenApiResponse(description="地址当前状态不允许此操作,或已被他人处理(未作任何改动)"),
}
CanView = HasCapability.of(Capability.VIEW_ADDRESSES)
CanCollect = HasCapability.of(Capability.COLLECT_ADDRESSES)
CanVerify = HasCapability.of(Capability.VERIFY_ADDRESSES)
CanManage = HasCapability.of(Capability.MANAGE_ADDRESSES)


class CanDoubt(BasePermission):
    """Village staff (after collection) or the subdistrict (after the village's check)."""

    message = "您的角色不能退回地址。"

    def has_permission(self, request: Any, view: Any) -> bool:
        return can_act(request.user, Action.DOUBT) or refuse(request, capability_of(Action.DOUBT))


@extend_schema(tags=[TAG])
class AddressViewSet(ScopedViewSet):
    """标准地址:行政区划 + 街路巷 + 门牌号 + 楼栋 + 单元 + 户室,网格员核采、村/社区核验、街道审定。"""

    serializer_class = s.AddressAddressSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    permission_classes = [CanView]
    PERMISSIONS = {
        "create": CanManage,
        "collect": CanCollect,
        "verify": CanVerify,
        "sign_off": CanManage,
        "doubt": CanDoubt,
    }

    def get_queryset(self) -> QuerySet[Address]:
        return selectors.addresses_visible_to(user=self.request.user).select_related("batch")

    def visible(self, pk: Any) -> Address:
        return selectors.address_get_visible(user=self.request.user, pk=pk)

    def _answer(self, address: Address, code: int = status.HTTP_200_OK) -> Response:
        return Response(s.AddressAddressSerializer(self.get_queryset().get(pk=address.pk)).data, status=code)

    @extend_schema(
        summary="地址列表(本人辖区;q 按地址任意部分搜索,两个字即可)",
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, description="状态:" + "、".join(State.values)),
            OpenApiParameter("kind", OpenApiTypes.STR, description="类型:" + "、".join(Kind.values)),
            OpenApiParameter("q", OpenApiTypes.STR, description="路名、门牌号、楼栋、区划代码等"),
        ],
        responses={200: s.AddressAddressSerializer(many=True), **ERRORS},
    )
    def list(self, request: Request) -> Response:
        data = query_data(s.AddressFilterSerializer, request)
        rows = filter_equal(self.get_queryset(), data, "state", "kind")
        prefix = user_scope_path(request.user) or None
        if data.get("q") and not data.get("state") and not data.get("kind"):
            hits = selectors.search_hits(rows, data["q"], path_prefix=prefix)
        else:
            hits = selectors.search_filter(rows, data.get("q") or "", path_prefix=prefix).order_by(
                *selectors.REGISTER_ORDER
            )
        page = self.paginate_queryset(hits)
        return self.get_paginated_response(s.AddressAddressSerializer(page, many=True).data)

    @extend_schema(summary="地址详情", responses={200: s.AddressAddressSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return self._answer(self.visible(pk))

    @extend_schema(
        summary="新增地址(待核采)",
        request=s.AddressCreateSerializer,
        responses={201: s.AddressAddressSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.AddressCreateSerializer, request)
        node = get_in_scope_or_404(Node.objects.all(), request.user, pk=data["node"])
        address = services.address_create(actor=request.user, node=node, data=input_from(AddressInput, data))
        return self._answer(address, status.HTTP_201_CREATED)

    @extend_schema(summary="地址记录", responses={200: s.AddressEventSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def events(self, request: Request, pk: Any = None) -> Response:
        rows = self.visible(pk).events.select_related("actor").order_by("created_at", "id")
        return Response(s.AddressEventSerializer(rows, many=True).data)

    @extend_schema(
        summary="现场核采(确认或更正各项,可附照片和位置)",
        request={"multipart/form-data": s.AddressCollectSerializer, "application/json": s.AddressCollectSerializer},
        responses={200: s.AddressAddressSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def collect(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.AddressCollectSerializer, request)
        address = services.address_collect(
            actor=request.user,
            address=self.visible(pk),
            data=input_from(AddressInput, data),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            photo=data.get("photo"),
        )
        return self._answer(address)

    @extend_schema(summary="村/社区核验", request=None, responses={200: s.AddressAddressSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: Any = None) -> Response:
        return self._answer(services.address_verify(actor=request.user, address=self.visible(pk)))

    @extend_schema(summary="街道审定", request=None, responses={200: s.AddressAddressSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request: Request, pk: Any = None) -> Response:
        return self._answer(services.address_sign_off(actor=request.user, address=self.visible(pk)))

    @extend_schema(
        summary="退回存疑(须说明原因)",
        request=s.AddressReasonSerializer,
        responses={200: s.AddressAddressSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def doubt(self, request: Request, pk: Any = None) -> Response:
        data = body_data(s.AddressReasonSerializer, request)
        address = services.address_doubt(actor=request.user, address=self.visible(pk), reason=data["reason"])
        return self._answer(address)


@extend_schema(tags=[TAG])
class CampaignViewSet(ScopedViewSet):
    """地址核采:街道开展,按网格分批,进度按村/社区和网格统计。"""

    serializer_class = s.AddressCampaignSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanManage, "close": CanManage}

    def get_queryset(self) -> QuerySet[Campaign]:
        return selectors.campaigns_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> Campaign:
        return selectors.campaign_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="核采列表", responses={200: s.AddressCampaignSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset().order_by("-opened_at", "-id"))
        return self.get_paginated_response(s.AddressCampaignSerializer(page, many=True).data)

    @extend_schema(summary="核采详情", responses={200: s.AddressCampaignSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.AddressCampaignSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="开展核采(范围内未审定的地址按网格分批)",
        request=s.AddressCampaignCreateSerializer,
        responses={201: s.AddressCampaignSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.AddressCampaignCreateSerializer, request)
        node = get_in_scope_or_404(Node.objects.all(), request.user, pk=data["node"])
        campaign = campaigns.campaign_open(
            actor=request.user, node=node, title=data["title"], due_on=data.get("due_on")
        )
        return Response(s.AddressCampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="核采进度(各村/社区、网格的已核验/总数,每日核采数,完成率;仅本人辖区部分)",
        responses={200: s.AddressProgressSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get"])
    def progress(self, request: Request, pk: Any = None) -> Response:
        progress = selectors.campaign_progress(campaign=self.visible(pk), user=request.user)
        data = {
            "total": progress.total,
            "rate": progress.rate,
            "villages": progress.villages,
            "daily": [{"day": day, "collected": n} for day, n in progress.daily],
        }
        return Response(s.AddressProgressSerializer(data).data)

    @extend_schema(summary="结束核采", request=None, responses={200: s.AddressCampaignSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        campaign = campaigns.campaign_close(actor=request.user, campaign=self.visible(pk))
        return Response(s.AddressCampaignSerializer(campaign).data)
