"""/api/v1/registration/applications …: the same services as the pages, one
POST endpoint per action; concatenated by api/urls.py.

Window staff (token or session): list, detail, filing on the applicant's
behalf (帮办), uploads, review, return, acceptance, clock suspension and
extension, approval and refusal (WINDOW_DECIDE), withdrawal, commitments.
Applicants (no login) act on their own application through its tracking
code under /public/applications/<code> (applications_public.py); a wrong
code is 404. Errors are RFC 7807 problems: 400 bad input, 401 anonymous,
403 capability, 404 unknown, 409 forbidden transition or stale state, 429
too many."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.api.pagination import Pagination
from grassroots.core.errors import DomainError

from ..models import Appointment
from ..selectors.applications import application_get, applications_queue
from ..services import applications as services
from ..services import commitments
from . import applications_public
from . import applications_serializers as s
from .applications_common import (
    PROBLEMS,
    STAFF_TAGS,
    Call,
    commitment_of,
    requirement_of,
    staff_response,
    valid,
)

# --- Staff ------------------------------------------------------------------------------


class StaffView(APIView):
    capability: str = Capability.WINDOW_WORK
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_permissions(self) -> list[BasePermission]:
        return [HasCapability.of(self.capability)()]


@extend_schema(tags=STAFF_TAGS)
class ApplicationListCreate(StaffView):
    # Declared so that the schema shows the page (count/next/previous/results), as answered.
    pagination_class = Pagination

    @extend_schema(
        summary="申请列表",
        parameters=[
            OpenApiParameter("state", str, description="状态"),
            OpenApiParameter("service", int, description="事项编号"),
            OpenApiParameter("overdue", str, enum=["review", "decision", "any"], description="逾期筛选"),
            OpenApiParameter("assisted", bool, description="窗口帮办"),
            OpenApiParameter("q", str, description="名称、申请人、受理编号或查询码"),
        ],
        responses={200: s.ApplicationSerializer(many=True), **PROBLEMS},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        assisted = {"true": True, "1": True, "false": False, "0": False}.get((params.get("assisted") or "").lower())
        service = params.get("service") or ""
        queryset = applications_queue(
            state=params.get("state") or None,
            service=int(service) if service.isdigit() else None,
            overdue=params.get("overdue") or None,
            assisted=assisted,
            query=params.get("q") or "",
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(s.ApplicationSerializer(page, many=True).data)

    @extend_schema(
        summary="帮办:代申请人新建申请",
        request=s.AppStaffCreateSerializer,
        responses={201: s.ApplicationDetailSerializer, **PROBLEMS},
    )
    def post(self, request: Request) -> Response:
        serializer = valid(s.AppStaffCreateSerializer, request)
        data = serializer.validated_data
        appointment = None
        if data.get("appointment"):
            appointment = Appointment.objects.filter(pk=data["appointment"]).first()
            if appointment is None:
                raise DomainError("appointment_not_found", "预约不存在。", field="appointment")
        service = data["service"]
        application = services.application_create(
            service=service,
            data=serializer.to_input(service),
            actor=request.user,
            on_behalf_of=data.get("on_behalf_of") or data["applicant_name"],
            appointment=appointment,
        )
        response = staff_response(application)
        response.status_code = status.HTTP_201_CREATED
        return response


@extend_schema(tags=STAFF_TAGS)
class ApplicationDetail(StaffView):
    @extend_schema(
        summary="申请详情(材料清单、期限、办理记录)", responses={200: s.ApplicationDetailSerializer, **PROBLEMS}
    )
    def get(self, request: Request, pk: int) -> Response:
        return staff_response(application_get(pk))


@extend_schema(tags=STAFF_TAGS)
class ApplicationUpdate(StaffView):
    @extend_schema(
        summary="修改申请表(填写中或退回补正时)",
        request=s.ApplicationInputSerializer,
        responses={200: s.ApplicationDetailSerializer, **PROBLEMS},
    )
    def post(self, request: Request, pk: int) -> Response:
        application = application_get(pk)
        serializer = valid(s.ApplicationInputSerializer, request)
        services.application_update(
            application=application,
            data=serializer.to_input(application.service, agent_name=application.agent_name),
            actor=request.user,
        )
        return staff_response(application)


@extend_schema(tags=STAFF_TAGS)
class MaterialUpload(StaffView):
    @extend_schema(
        summary="代申请人上传材料",
        request={"multipart/form-data": s.AppUploadSerializer},
        responses={201: s.ApplicationDetailSerializer, **PROBLEMS},
    )
    def post(self, request: Request, pk: int) -> Response:
        application = application_get(pk)
        data = valid(s.AppUploadSerializer, request).validated_data
        services.material_upload(
            application=application,
            requirement=requirement_of(application, data.get("requirement")),
            extra_kind=data.get("extra_kind") or "",
            file=data["file"],
            actor=request.user,
        )
        response = staff_response(application)
        response.status_code = status.HTTP_201_CREATED
        return response


STAFF_ACTIONS: dict[str, tuple[str, type[serializers.Serializer], Call]] = {
    "submit": (
        "提交",
        s.AppSubmitSerializer,
        lambda r, a, d: services.application_submit(
            application=a, actor=r.user, confirm_incomplete=d["confirm_incomplete"]
        ),
    ),
    "resubmit": (
        "补正后重新提交",
        s.AppSubmitSerializer,
        lambda r, a, d: services.application_resubmit(
            application=a, actor=r.user, confirm_incomplete=d["confirm_incomplete"]
        ),
    ),
    "review": (
        "初审:逐项作出结论",
        s.AppReviewSerializer,
        lambda r, a, d: services.application_review(actor=r.user, application=a, verdicts=d["_verdicts"]),
    ),
    "return": (
        "退回补正(一次性告知)",
        s.AppEmptySerializer,
        lambda r, a, d: services.application_return(actor=r.user, application=a),
    ),
    "accept": (
        "受理",
        s.AppEmptySerializer,
        lambda r, a, d: services.application_accept(actor=r.user, application=a),
    ),
    "suspend": (
        "中止计时",
        s.AppSuspendSerializer,
        lambda r, a, d: services.clock_suspend(
            actor=r.user, application=a, kind=d["kind"], reason=d["reason"], started_on=d.get("started_on")
        ),
    ),
    "resume": (
        "恢复计时",
        s.AppResumeSerializer,
        lambda r, a, d: services.clock_resume(actor=r.user, application=a, ended_on=d.get("ended_on")),
    ),
    "extend": (
        "延长期限(10个工作日,一次)",
        s.AppReasonSerializer,
        lambda r, a, d: services.clock_extend(actor=r.user, application=a, reason=d["reason"]),
    ),
    "approve": (
        "准予登记(成立和换证当场发证)",
        s.AppOptionalReasonSerializer,
        lambda r, a, d: services.application_approve(actor=r.user, application=a, reason=d.get("reason", "")),
    ),
    "refuse": (
        "不予登记",
        s.AppReasonSerializer,
        lambda r, a, d: services.application_refuse(actor=r.user, application=a, reason=d["reason"]),
    ),
    "withdraw": (
        "撤回申请",
        s.AppOptionalReasonSerializer,
        lambda r, a, d: services.application_withdraw(application=a, actor=r.user, reason=d.get("reason", "")),
    ),
    "commitment": (
        "生成告知承诺书",
        s.AppEmptySerializer,
        lambda r, a, d: commitments.commitment_create(actor=r.user, application=a),
    ),
    "commitment/sign": (
        "上传签字的告知承诺书",
        s.AppSignSerializer,
        lambda r, a, d: commitments.commitment_sign(
            actor=r.user, commitment=commitment_of(a), signed_copy_file=d["signed_copy"]
        ),
    ),
    "commitment/verify": (
        "记录告知承诺核查结果(不实则撤销登记)",
        s.AppVerifySerializer,
        lambda r, a, d: commitments.commitment_verify(
            actor=r.user, commitment=commitment_of(a), truthful=d["truthful"], note=d.get("note", "")
        ),
    ),
}
# Decisions need WINDOW_DECIDE before anything is looked up; the services check the rest.
DECIDE = {"extend", "approve", "refuse"}


def _staff_action_view(name: str) -> type[APIView]:
    summary, serializer_class, call = STAFF_ACTIONS[name]

    def post(self: StaffView, request: Request, pk: int) -> Response:
        application = application_get(pk)
        serializer = valid(serializer_class, request)
        data = dict(serializer.validated_data)
        if isinstance(serializer, s.AppReviewSerializer):
            data["_verdicts"] = serializer.to_verdicts()
        call(request, application, data)
        return staff_response(application)

    request_schema: Any = serializer_class
    if serializer_class is s.AppSignSerializer:
        request_schema = {"multipart/form-data": serializer_class}
    elif serializer_class is s.AppEmptySerializer:
        request_schema = None
    post = extend_schema(
        summary=summary, request=request_schema, responses={200: s.ApplicationDetailSerializer, **PROBLEMS}
    )(post)
    view = type(
        f"Application{name.title().replace('/', '').replace('-', '')}",
        (StaffView,),
        {"post": post, "capability": Capability.WINDOW_DECIDE if name in DECIDE else Capability.WINDOW_WORK},
    )
    return extend_schema(tags=STAFF_TAGS)(view)


def _url_name(name: str) -> str:
    return name.replace("/", "-")


urlpatterns: list[URLPattern] = [
    path("applications", ApplicationListCreate.as_view(), name="app-list"),
    path("applications/<id:pk>", ApplicationDetail.as_view(), name="app-detail"),
    path("applications/<id:pk>/update", ApplicationUpdate.as_view(), name="app-update"),
    path("applications/<id:pk>/materials", MaterialUpload.as_view(), name="app-materials"),
    *[
        path(f"applications/<id:pk>/{name}", _staff_action_view(name).as_view(), name=f"app-{_url_name(name)}")
        for name in STAFF_ACTIONS
    ],
    *applications_public.urlpatterns,
]
