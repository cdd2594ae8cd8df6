"""/api/v1/deliberation/meetings, invitations, items and resolutions: the
meeting itself (convene, invite representatives or staff, open, adjourn,
resume, close, cancel, agenda), attendance, resolutions and corrections. One
POST endpoint per action, on the same services as the meeting page."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from grassroots.core.errors import DomainError
from grassroots.matters.selectors import assignable_users, matter_get_visible, unit_on_path
from grassroots.regions.models import Level

from .. import selectors
from ..models import Meeting
from ..services import agenda, invitations, meetings, resolutions
from . import serializers as s
from .common import PERMS, PROBLEMS, node_in_scope


def meeting_detail_response(meeting: Meeting) -> Response:
    return Response(s.DeliberationMeetingDetailSerializer(selectors.meeting_detail(pk=meeting.pk)).data)


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
        return meeting_detail_response(self.get_object())

    @extend_schema(
        summary="召集会议",
        request=s.DeliberationConveneSerializer,
        responses={201: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    def create(self, request: Request) -> Response:
        data = s.DeliberationConveneSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        village = node_in_scope(request.user, d["node"], levels=(Level.VILLAGE,))
        meeting = meetings.meeting_convene(
            actor=request.user,
            node=village,
            data=meetings.MeetingInput(kind=d["kind"], title=d["title"], starts_at=d["starts_at"], place=d["place"]),
        )
        if d["invite_all"]:
            on = timezone.localtime(meeting.starts_at).date()
            meetings.meeting_invite(
                actor=request.user,
                meeting=meeting,
                representatives=selectors.representatives_in_term(village=village, on=on),
            )
        response = meeting_detail_response(meeting)
        response.status_code = 201
        return response

    @extend_schema(
        summary="邀请参会人员:群众代表(短信通知)或工作人员(联席会议,站内通知)",
        request=s.DeliberationInviteSerializer,
        responses={200: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        data = s.DeliberationInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rep_ids = set(data.validated_data["representatives"])
        reps = selectors.representatives_by_ids(rep_ids)
        if len(reps) != len(rep_ids):
            raise DomainError("unknown_representative", "所选群众代表不存在。", field="representatives")
        staff_ids = set(data.validated_data["staff"])
        staff = selectors.invitable_staff_by_ids(meeting=meeting, ids=staff_ids)
        if len(staff) != len(staff_ids):
            raise DomainError(
                "not_invitable", "所选工作人员不存在,或不是街道、举办村(社区)在岗办理事项的工作人员。", field="staff"
            )
        if reps:
            meetings.meeting_invite(actor=request.user, meeting=meeting, representatives=reps)
        if staff_ids:
            invitations.meeting_invite_staff(actor=request.user, meeting=meeting, users=staff)
        return meeting_detail_response(meeting)

    @extend_schema(
        summary="开始会议(固定应到人数)",
        request=None,
        responses={200: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: str) -> Response:
        return meeting_detail_response(meetings.meeting_open(actor=request.user, meeting=self.get_object()))

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
        return meeting_detail_response(
            meetings.meeting_close(actor=request.user, meeting=meeting, minutes=data.validated_data["minutes"])
        )

    @extend_schema(
        summary="休会(须说明原因;未表决的事项退回办理)",
        request=s.DeliberationReasonSerializer,
        responses={200: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def adjourn(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        data = s.DeliberationReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return meeting_detail_response(
            meetings.meeting_adjourn(actor=request.user, meeting=meeting, reason=data.validated_data["reason"])
        )

    @extend_schema(
        summary="继续会议(休会后;未表决的事项重新进入议事)",
        request=None,
        responses={200: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        return meeting_detail_response(meetings.meeting_resume(actor=request.user, meeting=self.get_object()))

    @extend_schema(
        summary="取消会议(须说明原因;未表决的事项退回办理)",
        request=s.DeliberationReasonSerializer,
        responses={200: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        data = s.DeliberationReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return meeting_detail_response(
            meetings.meeting_cancel(actor=request.user, meeting=meeting, reason=data.validated_data["reason"])
        )

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
            agenda.agenda_add_matter(actor=request.user, meeting=meeting, matter=matter)
        elif d.get("proposal"):
            proposal = selectors.proposal_in_scope(user=request.user, pk=d["proposal"])
            agenda.agenda_add_proposal(actor=request.user, meeting=meeting, proposal=proposal)
        else:
            agenda.agenda_add_topic(actor=request.user, meeting=meeting, title=d["title"])
        return meeting_detail_response(meeting)


@extend_schema(tags=["议事会议"])
class InvitationViewSet(viewsets.GenericViewSet):
    permission_classes = PERMS
    serializer_class = s.DeliberationInvitationSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.invitations_in_scope(user=self.request.user)

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
        meetings.attendance_set(actor=request.user, invitation=invitation, present=data.validated_data["present"])
        return meeting_detail_response(invitation.meeting)

    @extend_schema(
        summary="移除参会人员(会议开始前)",
        request=None,
        responses={200: s.DeliberationMeetingDetailSerializer, **PROBLEMS},
    )
    @action(detail=True, methods=["post"])
    def remove(self, request: Request, pk: str) -> Response:
        invitation = self.get_object()
        return meeting_detail_response(invitations.invitation_remove(actor=request.user, invitation=invitation))


@extend_schema(tags=["议事会议"])
class AgendaItemViewSet(viewsets.GenericViewSet):
    permission_classes = PERMS
    serializer_class = s.DeliberationAgendaItemSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.agenda_items_in_scope(user=self.request.user)

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
            unit = unit_on_path(matter=item.matter, pk=d["responsible_unit"])
            if unit is None:
                raise DomainError("bad_unit", "责任单位不存在或不在事项所在辖区。", field="responsible_unit")
        assignee = None
        if d.get("assignee"):
            candidates = {u.pk: u for u in assignable_users(matter=item.matter)} if item.matter else {}
            assignee = candidates.get(d["assignee"])
            if assignee is None:
                raise DomainError(
                    "assignee_invalid", "承办人须为在岗工作人员,且其辖区包含事项发生地。", field="assignee"
                )
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
                assignee=assignee,
                due_date=d.get("due_date"),
            ),
        )
        return Response(s.DeliberationResolutionSerializer(res).data, status=201)


@extend_schema(tags=["议事会议"])
class ResolutionViewSet(viewsets.GenericViewSet):
    permission_classes = PERMS
    serializer_class = s.DeliberationResolutionSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.resolutions_in_scope(user=self.request.user)

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
        res = resolutions.resolution_correct(actor=request.user, resolution=res, **data.validated_data)
        return Response(s.DeliberationResolutionSerializer(res).data)
