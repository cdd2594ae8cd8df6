"""/api/v1/deliberation/…: the staff API on the same services as the pages.
One POST endpoint per action; domain errors become RFC 7807 problems (400 bad
input, 403 capability, 404 outside the subtree, 409 forbidden transition,
quorum not met or stale state)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset
from grassroots.matters.forms_staff import ancestor_paths
from grassroots.matters.models import ResponsibleUnit
from grassroots.matters.selectors import matter_get_visible
from grassroots.regions.models import Level, Node, Representative

from .. import selectors
from ..models import AgendaItem, Invitation, Meeting, Resolution, TopicProposal
from ..services import agenda, meetings, resolutions, weekly
from ..services import rules as rule_services
from . import serializers as s

PROBLEMS = {
    400: OpenApiResponse(description="输入有误(RFC 7807)"),
    403: OpenApiResponse(description="角色没有此项权限"),
    404: OpenApiResponse(description="不存在或不在本人辖区内"),
    409: OpenApiResponse(description="当前状态不允许此操作,或未达法定人数"),
}
PERMS = [HasCapability.of(Capability.CONVENE_MEETINGS)]


def _node(user: Any, pk: Any, *, levels: tuple[int, ...]) -> Node:
    return get_in_scope_or_404(Node.objects.filter(level__in=levels), user, pk=pk)


def _detail(meeting: Meeting) -> Response:
    fresh = (
        Meeting.objects.select_related("host_village", "rules")
        .prefetch_related(
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.select_related("resolution__responsible_unit").prefetch_related(
                    "resolution__corrections__actor"
                ),
            ),
            Prefetch("invitations", queryset=Invitation.objects.select_related("representative__resident")),
        )
        .get(pk=meeting.pk)
    )
    return Response(s.DeliberationMeetingDetailSerializer(fresh).data)


@extend_schema(tags=["议事规则"])
@extend_schema_view(list=extend_schema(summary="议事规则各版本(本人辖区)"))
class RuleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """村(社区)和街道的议事规则,按版本保存;会议按召集当日施行的版本判定。"""

    serializer_class = s.DeliberationRuleSerializer
    permission_classes = PERMS

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.rules_visible_to(user=self.request.user).order_by("path", "-version")

    @extend_schema(
        summary="新建规则版本",
        request=s.DeliberationRuleCreateSerializer,
        responses={201: s.DeliberationRuleSerializer, **PROBLEMS},
    )
    def create(self, request: Request) -> Response:
        data = s.DeliberationRuleCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        node = _node(request.user, d["node"], levels=(Level.SUBDISTRICT, Level.VILLAGE))
        rules = rule_services.ruleset_create(
            actor=request.user,
            node=node,
            data=rule_services.RuleInput(
                title=d["title"],
                proposers=d["proposers"],
                quorum_numerator=d["quorum_numerator"],
                quorum_denominator=d["quorum_denominator"],
                threshold=d["threshold"],
                vote_method=d["vote_method"],
                effective_from=d["effective_from"],
                text=d["text"],
            ),
            publish=d["publish"],
            request=request,
        )
        return Response(s.DeliberationRuleSerializer(rules).data, status=201)

    @extend_schema(summary="发布规则版本", request=None, responses={200: s.DeliberationRuleSerializer, **PROBLEMS})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        rules = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(
            s.DeliberationRuleSerializer(
                rule_services.ruleset_publish(actor=request.user, rules=rules, request=request)
            ).data
        )


@extend_schema(tags=["议事会议"])
@extend_schema_view(
    list=extend_schema(summary="议事会议列表(本人辖区)"),
    retrieve=extend_schema(
        summary="会议详情:议程、决议、签到与法定人数",
        responses={200: s.DeliberationMeetingDetailSerializer, 404: PROBLEMS[404]},
    ),
)
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """协商议事会、民情恳谈日、党政联席会议:召集、邀请、签到、表决、结束。"""

    serializer_class = s.DeliberationMeetingSerializer
    permission_classes = PERMS

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.meetings_visible_to(user=self.request.user)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return _detail(self.get_object())

    @extend_schema(
        summary="召集会议",
        request=s.DeliberationConveneSerializer,
        responses={201: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    def create(self, request: Request) -> Response:
        data = s.DeliberationConveneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        village = _node(request.user, d["node"], levels=(Level.VILLAGE,))
        meeting = meetings.meeting_convene(
            actor=request.user,
            node=village,
            data=meetings.MeetingInput(kind=d["kind"], title=d["title"], starts_at=d["starts_at"], place=d["place"]),
            request=request,
        )
        if d["invite_all"]:
            on = timezone.localtime(meeting.starts_at).date()
            meetings.meeting_invite(
                actor=request.user,
                meeting=meeting,
                representatives=selectors.representatives_in_term(village=village, on=on),
                request=request,
            )
        response = _detail(meeting)
        response.status_code = 201
        return response

    @extend_schema(
        summary="邀请群众代表(短信通知)",
        request=s.DeliberationInviteSerializer,
        responses={200: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        data = s.DeliberationInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reps = list(
            Representative.objects.filter(pk__in=data.validated_data["representatives"]).select_related("resident")
        )
        if len(reps) != len(set(data.validated_data["representatives"])):
            raise DomainError("unknown_representative", "所选群众代表不存在。", field="representatives")
        meetings.meeting_invite(actor=request.user, meeting=meeting, representatives=reps, request=request)
        return _detail(meeting)

    @extend_schema(
        summary="开始会议(固定应到人数)",
        request=None,
        responses={200: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str) -> Response:
        return _detail(meetings.meeting_open(actor=request.user, meeting=self.get_object(), request=request))

    @extend_schema(
        summary="结束会议并保存纪要",
        request=s.DeliberationCloseSerializer,
        responses={200: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        data = s.DeliberationCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _detail(
            meetings.meeting_close(
                actor=request.user, meeting=meeting, minutes=data.validated_data["minutes"], request=request
            )
        )

    @extend_schema(summary="取消会议", request=None, responses={200: s.DeliberationMeetingDetailSerializer, **PROBLEMS})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return _detail(meetings.meeting_cancel(actor=request.user, meeting=self.get_object(), request=request))

    @extend_schema(
        summary="列入议程(事项转为议事中)",
        request=s.DeliberationAgendaAddSerializer,
        responses={200: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def agenda(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        data = s.DeliberationAgendaAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        if d.get("matter"):
            matter = matter_get_visible(user=request.user, pk=d["matter"])
            agenda.agenda_add_matter(actor=request.user, meeting=meeting, matter=matter, request=request)
        elif d.get("proposal"):
            proposal = get_in_scope_or_404(TopicProposal.objects.all(), request.user, pk=d["proposal"])
            agenda.agenda_add_proposal(actor=request.user, meeting=meeting, proposal=proposal, request=request)
        else:
            agenda.agenda_add_topic(actor=request.user, meeting=meeting, title=d["title"], request=request)
        return _detail(meeting)


@extend_schema(tags=["议事会议"])
class InvitationViewSet(viewsets.GenericViewSet):
    permission_classes = PERMS
    serializer_class = s.DeliberationInvitationSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return scope_queryset(
            Invitation.objects.select_related("meeting__rules", "representative__resident"), self.request.user
        )

    @extend_schema(
        summary="代表签到 / 撤销签到",
        request=s.DeliberationCheckInSerializer,
        responses={200: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request: Request, pk: str) -> Response:
        invitation = self.get_object()
        data = s.DeliberationCheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        meetings.attendance_set(
            actor=request.user, invitation=invitation, present=data.validated_data["present"], request=request
        )
        return _detail(invitation.meeting)


@extend_schema(tags=["议事会议"])
class AgendaItemViewSet(viewsets.GenericViewSet):
    permission_classes = PERMS
    serializer_class = s.DeliberationAgendaItemSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return scope_queryset(AgendaItem.objects.select_related("meeting__rules", "matter"), self.request.user)

    @extend_schema(
        summary="记录决议与表决(须达法定人数)",
        request=s.DeliberationVoteSerializer,
        responses={201: s.DeliberationResolutionSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def resolution(self, request: Request, pk: str) -> Response:
        item = self.get_object()
        data = s.DeliberationVoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        unit = None
        if d.get("responsible_unit"):
            paths = ancestor_paths(item.matter.path) if item.matter else []
            unit = ResponsibleUnit.objects.filter(pk=d["responsible_unit"], path__in=paths).first()
            if unit is None:
                raise DomainError("bad_unit", "责任单位不存在或不在事项所在辖区。", field="responsible_unit")
        res = resolutions.resolution_record(
            actor=request.user,
            item=item,
            data=resolutions.VoteInput(
                decision=d["decision"],
                votes_for=d["votes_for"],
                votes_against=d["votes_against"],
                votes_abstain=d["votes_abstain"],
                roll_call={r["invitation"]: r["choice"] for r in d.get("roll_call", [])},
                responsible_unit=unit,
                due_date=d.get("due_date"),
            ),
            request=request,
        )
        return Response(s.DeliberationResolutionSerializer(res).data, status=201)


@extend_schema(tags=["议事会议"])
class ResolutionViewSet(viewsets.GenericViewSet):
    permission_classes = PERMS
    serializer_class = s.DeliberationResolutionSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return scope_queryset(Resolution.objects.select_related("item__meeting__rules"), self.request.user)

    @extend_schema(
        summary="更正计票(保留更正记录)",
        request=s.DeliberationCorrectSerializer,
        responses={200: s.DeliberationResolutionSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def correct(self, request: Request, pk: str) -> Response:
        res = self.get_object()
        data = s.DeliberationCorrectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        res = resolutions.resolution_correct(actor=request.user, resolution=res, request=request, **data.validated_data)
        return Response(s.DeliberationResolutionSerializer(res).data)


@extend_schema(tags=["议题建议"])
@extend_schema_view(list=extend_schema(summary="居民、代表提出的议题建议"))
class ProposalViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = PERMS
    serializer_class = s.DeliberationProposalSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.proposals_visible_to(user=self.request.user)

    @extend_schema(
        summary="审核议题建议",
        request=s.DeliberationModerateSerializer,
        responses={200: s.DeliberationProposalSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def moderate(self, request: Request, pk: str) -> Response:
        proposal = self.get_object()
        data = s.DeliberationModerateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = agenda.proposal_moderate(
            actor=request.user, proposal=proposal, request=request, **data.validated_data
        )
        return Response(s.DeliberationProposalSerializer(proposal).data)


@extend_schema(tags=["每周重点村"])
@extend_schema_view(list=extend_schema(summary="每周重点村建议与历史"))
class WeeklyViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = PERMS
    serializer_class = s.DeliberationWeeklySerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.selections_visible_to(user=self.request.user)

    @extend_schema(
        summary="确定或调整本周重点村",
        request=s.DeliberationWeeklyConfirmSerializer,
        responses={200: s.DeliberationWeeklySerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        selection = self.get_object()
        data = s.DeliberationWeeklyConfirmSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        villages = list(Node.objects.filter(pk__in=data.validated_data["villages"]))
        selection = weekly.weekly_confirm(
            actor=request.user,
            selection=selection,
            villages=villages,
            note=data.validated_data["note"],
            request=request,
        )
        return Response(s.DeliberationWeeklySerializer(selection).data)

    @extend_schema(
        summary="在重点村召集党政联席会议(自动生成议程)",
        request=s.DeliberationJointConveneSerializer,
        responses={201: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def convene(self, request: Request, pk: str) -> Response:
        selection = self.get_object()
        data = s.DeliberationJointConveneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        village = _node(request.user, data.validated_data["village"], levels=(Level.VILLAGE,))
        meeting = weekly.joint_meeting_convene(
            actor=request.user,
            selection=selection,
            village=village,
            starts_at=data.validated_data["starts_at"],
            place=data.validated_data["place"],
            request=request,
        )
        response = _detail(meeting)
        response.status_code = 201
        return response
