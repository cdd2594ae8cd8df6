"""/api/v1/party/: the same services as the pages. Reading needs VIEW_PARTY,
writing MANAGE_PARTY (each action its own POST); rows outside the caller's
subtree answer 404 before the body is read; rule violations are RFC 7807
problems in Chinese and change nothing. Member names are answered masked.
Signing in to a training by its QR token and reading the published 红黄榜
are open to any staff user who is a party member."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.models import User
from grassroots.accounts.permissions import HasCapability, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.api.requests import body_data, query_data, refuse
from grassroots.core.api.viewsets import ScopedViewSet
from grassroots.core.errors import NotFound
from grassroots.core.scoping import get_in_scope_or_404, user_scope_path
from grassroots.regions.models import Household, Node, Resident

from .. import selectors
from ..models import Board, Branch, Member, Pair, Training
from ..services import board as board_services
from ..services import organisation, pairs, training
from ..services.organisation import MemberInput
from ..services.training import TrainingInput
from . import serializers as s

TAG = "党建"
ERRORS = {
    400: OpenApiResponse(description="输入有误(RFC 7807,中文说明;未作任何改动)"),
    401: OpenApiResponse(description="未登录"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="对象不存在,或不在本人辖区内"),
}
CanView = HasCapability.of(Capability.VIEW_PARTY)
CanManage = HasCapability.of(Capability.MANAGE_PARTY)


class IsMemberOrCanView(BasePermission):
    """Party staff, or a staff user who is a party member."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        allowed = user_can(user, Capability.VIEW_PARTY) or selectors.membership_of(user=user) is not None
        return allowed or refuse(request, Capability.VIEW_PARTY)


@extend_schema(tags=[TAG])
class BranchViewSet(ScopedViewSet):
    """党组织:村/社区党支部、党总支、联村党委。"""

    serializer_class = s.PartyBranchSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanManage}

    def get_queryset(self) -> QuerySet[Branch]:
        return selectors.branches_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> Branch:
        return selectors.branch_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="党组织列表(本人辖区)", responses={200: s.PartyBranchSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.PartyBranchSerializer(page, many=True).data)

    @extend_schema(summary="党组织", responses={200: s.PartyBranchSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.PartyBranchSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="登记党组织", request=s.PartyBranchInputSerializer, responses={201: s.PartyBranchSerializer, **ERRORS}
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.PartyBranchInputSerializer, request)
        node = get_in_scope_or_404(Node.objects.all(), request.user, pk=data["node"])
        villages = [get_in_scope_or_404(Node.objects.all(), request.user, pk=pk) for pk in data.get("villages", [])]
        branch = organisation.branch_create(
            actor=request.user, name=data["name"], kind=data["kind"], node=node, villages=villages
        )
        return Response(s.PartyBranchSerializer(self.visible(branch.pk)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class MemberViewSet(ScopedViewSet):
    """党员(姓名脱敏;查看完整信息需说明原因并留痕)。"""

    serializer_class = s.PartyMemberSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanManage, "reveal": CanManage}

    def get_queryset(self) -> QuerySet[Member]:
        return selectors.members_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> Member:
        return selectors.member_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="党员列表(本人辖区,姓名脱敏)", responses={200: s.PartyMemberSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.PartyMemberSerializer(page, many=True).data)

    @extend_schema(summary="党员(姓名脱敏)", responses={200: s.PartyMemberSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.PartyMemberSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="登记党员(居民或工作人员账号二选一)",
        request=s.PartyMemberInputSerializer,
        responses={201: s.PartyMemberSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.PartyMemberInputSerializer, request)
        branch = selectors.branch_get_visible(user=request.user, pk=data["branch"])
        resident = (
            get_in_scope_or_404(Resident.objects.all(), request.user, pk=data["resident"])
            if data.get("resident")
            else None
        )
        staff = None
        if data.get("user"):
            prefix = user_scope_path(request.user) or ""
            staff = User.objects.filter(pk=data["user"], jurisdiction__path__startswith=prefix).first()
            if staff is None:
                raise NotFound("本辖区没有这个工作人员账号。")
        member = organisation.member_add(
            actor=request.user,
            branch=branch,
            data=MemberInput(
                post=data.get("post") or "none",
                status=data.get("status") or "full",
                joined_on=data.get("joined_on"),
                resident=resident,
                user=staff,
            ),
        )
        return Response(s.PartyMemberSerializer(self.visible(member.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="查看党员完整信息(需说明原因;留痕)",
        request=s.PartyRevealInputSerializer,
        responses={200: s.PartyRevealSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reveal(self, request: Request, pk: Any = None) -> Response:
        member = self.visible(pk)
        data = body_data(s.PartyRevealInputSerializer, request)
        revealed = organisation.member_reveal(actor=request.user, member=member, reason=data["reason"])
        return Response(s.PartyRevealSerializer(revealed).data)


@extend_schema(tags=[TAG])
class PairViewSet(ScopedViewSet):
    """结对帮扶:党员联系困难户,强村党组织带弱村党组织;走访和帮扶记录。"""

    serializer_class = s.PartyPairSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanManage, "visit": IsMemberOrCanView}

    def get_queryset(self) -> QuerySet[Pair]:
        return selectors.pairs_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> Pair:
        return selectors.pair_get(user=self.request.user, pk=pk, member=selectors.membership_of(user=self.request.user))

    @extend_schema(summary="结对列表(本人辖区)", responses={200: s.PartyPairSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.PartyPairSerializer(page, many=True).data)

    @extend_schema(summary="结对", responses={200: s.PartyPairSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.PartyPairSerializer(self.visible(pk)).data)

    @extend_schema(
        summary="登记结对", request=s.PartyPairInputSerializer, responses={201: s.PartyPairSerializer, **ERRORS}
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.PartyPairInputSerializer, request)
        user = request.user
        if data.get("member"):
            member = selectors.member_get_visible(user=user, pk=data["member"])
            household = get_in_scope_or_404(Household.objects.all(), user, pk=data["household"])
            pair = pairs.pair_household(
                actor=user,
                member=member,
                household=household,
                difficulty=data.get("difficulty", ""),
                started_on=data["started_on"],
            )
        else:
            branch = selectors.branch_get_visible(user=user, pk=data["branch"])
            partner = selectors.branch_get_visible(user=user, pk=data["partner"])
            pair = pairs.pair_branches(
                actor=user,
                branch=branch,
                partner=partner,
                difficulty=data.get("difficulty", ""),
                started_on=data["started_on"],
            )
        return Response(s.PartyPairSerializer(self.get_queryset().get(pk=pair.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="登记走访或帮扶(结对党员本人或党建工作人员)",
        request=s.PartyVisitInputSerializer,
        responses={201: s.PartyVisitSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def visit(self, request: Request, pk: Any = None) -> Response:
        pair = self.visible(pk)
        data = body_data(s.PartyVisitInputSerializer, request)
        visit = pairs.pair_visit_record(
            actor=request.user,
            pair=pair,
            kind=data["kind"],
            visited_on=data["visited_on"],
            note=data["note"],
            recorder_member=selectors.membership_of(user=request.user),
        )
        return Response(s.PartyVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class TrainingViewSet(ScopedViewSet):
    """专题培训;党员扫码签到(同一人重复签到返回首次签到)。"""

    serializer_class = s.PartyTrainingSerializer
    permission_classes = [CanView]
    PERMISSIONS = {"create": CanManage, "sign_in": IsAuthenticated}

    def get_queryset(self) -> QuerySet[Training]:
        return selectors.trainings_visible_to(user=self.request.user)

    def visible(self, pk: Any) -> Training:
        return selectors.training_get_visible(user=self.request.user, pk=pk)

    @extend_schema(summary="培训列表(本人辖区)", responses={200: s.PartyTrainingSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.PartyTrainingSerializer(page, many=True).data)

    @extend_schema(summary="培训", responses={200: s.PartyTrainingSerializer, **ERRORS})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(s.PartyTrainingSerializer(self.get_queryset().get(pk=self.visible(pk).pk)).data)

    @extend_schema(
        summary="登记培训", request=s.PartyTrainingInputSerializer, responses={201: s.PartyTrainingSerializer, **ERRORS}
    )
    def create(self, request: Request) -> Response:
        data = body_data(s.PartyTrainingInputSerializer, request)
        node = get_in_scope_or_404(Node.objects.all(), request.user, pk=data.pop("node"))
        created = training.training_create(actor=request.user, data=TrainingInput(node=node, **data))
        return Response(
            s.PartyTrainingSerializer(self.get_queryset().get(pk=created.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="扫码签到(本人;签到码来自培训现场的二维码)",
        request=s.PartySignInInputSerializer,
        responses={200: s.PartyAttendanceSerializer, 201: s.PartyAttendanceSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"], url_path="sign-in")
    def sign_in(self, request: Request) -> Response:
        data = body_data(s.PartySignInInputSerializer, request)
        attendance, created = training.training_sign_in(actor=request.user, token=data["token"])
        body = {
            "training_id": attendance.training_id,
            "member_id": attendance.member_id,
            "signed_at": attendance.signed_at,
            "created": created,
        }
        return Response(
            s.PartyAttendanceSerializer(body).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


@extend_schema(tags=[TAG])
class BoardViewSet(ScopedViewSet):
    """党员教育管理红黄榜(本人所在街道;党员只看已发布的)。"""

    serializer_class = s.PartyBoardSerializer
    permission_classes = [IsMemberOrCanView]
    PERMISSIONS = {"compute": CanManage, "publish": CanManage, "withdraw": CanManage}

    def get_queryset(self) -> QuerySet[Board]:
        sub = selectors.subdistrict_of(user=self.request.user)
        if sub is None:
            return Board.objects.none()
        staff = user_can(self.request.user, Capability.VIEW_PARTY)
        return selectors.boards_of(subdistrict=sub, published_only=not staff)

    def visible(self, pk: Any) -> Board:
        board = self.get_queryset().filter(pk=pk).first()
        if board is None:
            raise NotFound()
        return board

    @extend_schema(summary="红黄榜列表(本人所在街道)", responses={200: s.PartyBoardSerializer(many=True), **ERRORS})
    def list(self, request: Request) -> Response:
        query_data(s.PartyBoardQuerySerializer, request)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.PartyBoardSerializer(page, many=True).data)

    @extend_schema(summary="红黄榜条目及积分明细", responses={200: s.PartyEntrySerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def entries(self, request: Request, pk: Any = None) -> Response:
        board = self.visible(pk)
        whole = not user_can(request.user, Capability.VIEW_PARTY)
        rows = selectors.board_entries(board=board, user=request.user, whole=whole)
        return Response(s.PartyEntrySerializer(rows, many=True).data)

    @extend_schema(
        summary="计算红黄榜(街道党建工作人员;草稿可重算)",
        request=s.PartyBoardComputeSerializer,
        responses={200: s.PartyBoardSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def compute(self, request: Request) -> Response:
        data = body_data(s.PartyBoardComputeSerializer, request)
        sub = selectors.subdistrict_of(user=request.user)
        if sub is None:
            raise NotFound()
        board = board_services.board_compute(actor=request.user, subdistrict=sub, month=data["month"])
        return Response(s.PartyBoardSerializer(board).data)

    @extend_schema(summary="发布红黄榜(党员可见)", request=None, responses={200: s.PartyBoardSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: Any = None) -> Response:
        board = board_services.board_publish(actor=request.user, board=self.visible(pk))
        return Response(s.PartyBoardSerializer(board).data)

    @extend_schema(summary="撤回红黄榜为草稿", request=None, responses={200: s.PartyBoardSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        board = board_services.board_withdraw(actor=request.user, board=self.visible(pk))
        return Response(s.PartyBoardSerializer(board).data)

    @extend_schema(summary="积分规则(现行版本)", responses={200: s.PartyRuleSerializer, **ERRORS})
    @action(detail=False, methods=["get"], permission_classes=[CanView])
    def rule(self, request: Request) -> Response:
        sub = selectors.subdistrict_of(user=request.user)
        if sub is None:
            raise NotFound()
        return Response(s.PartyRuleSerializer(board_services.rule_current(subdistrict=sub)).data)

    @extend_schema(
        summary="修改积分规则(街道党建工作人员;保存为新版本)",
        request=s.PartyRuleInputSerializer,
        responses={201: s.PartyRuleSerializer, **ERRORS},
    )
    @rule.mapping.post
    def rule_set(self, request: Request) -> Response:
        data = body_data(s.PartyRuleInputSerializer, request)
        sub = selectors.subdistrict_of(user=request.user)
        if sub is None:
            raise NotFound()
        saved = board_services.rule_set(actor=request.user, subdistrict=sub, values=data)
        return Response(s.PartyRuleSerializer(saved).data, status=status.HTTP_201_CREATED)
