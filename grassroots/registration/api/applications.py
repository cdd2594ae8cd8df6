"""/api/v1/registration/applications …: the same services as the pages, one
POST action of the viewset per transition (registered in api/urls.py).

Window staff (token or session): list, detail, filing on the applicant's
behalf (帮办), uploads, review, return, acceptance, clock suspension and
extension, approval and refusal (WINDOW_DECIDE), withdrawal, commitments.
Applicants (no login) act on their own application through its tracking
code under /public/applications/<code> (applications_public.py); a wrong
code is 404. Errors are RFC 7807 problems: 400 bad input, 401 anonymous,
403 capability, 404 unknown, 409 forbidden transition or stale state, 429
too many."""

from __future__ import annotations

from functools import partial
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.api.pagination import Pagination
from grassroots.core.errors import DomainError

from ..models import Appointment
from ..selectors.applications import application_get, applications_queue
from ..services import applications as services
from ..services import commitments
from . import applications_inputs as inputs
from . import applications_serializers as s
from .applications_common import (
    PROBLEMS,
    STAFF_TAGS,
    action_schema,
    commitment_of,
    form_update,
    material_upload,
    staff_response,
    step,
    valid,
)

# --- Staff ------------------------------------------------------------------------------

# Decisions need WINDOW_DECIDE before anything is looked up; the services check the rest.
DECIDE = {"extend", "approve", "refuse"}


_answer = partial(action_schema, answer=s.ApplicationDetailSerializer, problems=PROBLEMS)


@extend_schema(tags=STAFF_TAGS)
class ApplicationViewSet(ViewSet):
    # Window staff (token or session). No docstring: it would become every operation's description.
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # Declared so that the schema shows the page (count/next/previous/results), as answered.
    pagination_class = Pagination

    def get_permissions(self) -> list[BasePermission]:
        capability = Capability.WINDOW_DECIDE if self.action in DECIDE else Capability.WINDOW_WORK
        return [HasCapability.of(capability)()]

    def _act(self, request: Request, pk: int, serializer_class: type[serializers.Serializer], call: Any) -> Response:
        application = application_get(pk)
        serializer = valid(serializer_class, request)
        data = dict(serializer.validated_data)
        if isinstance(serializer, inputs.AppReviewSerializer):
            data["_verdicts"] = serializer.to_verdicts()
        call(application, data)
        return staff_response(application)

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
    def list(self, request: Request) -> Response:
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
        request=inputs.AppStaffCreateSerializer,
        responses={201: s.ApplicationDetailSerializer, **PROBLEMS},
    )
    def create(self, request: Request) -> Response:
        serializer = valid(inputs.AppStaffCreateSerializer, request)
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

    @extend_schema(
        summary="申请详情(材料清单、期限、办理记录)", responses={200: s.ApplicationDetailSerializer, **PROBLEMS}
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        return staff_response(application_get(pk))

    @extend_schema(
        summary="修改申请表(填写中或退回补正时)",
        request=inputs.ApplicationInputSerializer,
        responses={200: s.ApplicationDetailSerializer, **PROBLEMS},
    )
    @step("update")
    def change(self, request: Request, pk: int) -> Response:
        application = application_get(pk)
        form_update(application, request, actor=request.user)
        return staff_response(application)

    @extend_schema(
        summary="代申请人上传材料",
        request={"multipart/form-data": inputs.AppUploadSerializer},
        responses={201: s.ApplicationDetailSerializer, **PROBLEMS},
    )
    @step("materials")
    def materials(self, request: Request, pk: int) -> Response:
        application = application_get(pk)
        material_upload(application, request, actor=request.user)
        response = staff_response(application)
        response.status_code = status.HTTP_201_CREATED
        return response

    # --- One action per transition (and per review or commitment step) ---

    @_answer(inputs.AppSubmitSerializer, summary="提交")
    @step("submit")
    def submit(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppSubmitSerializer,
            lambda a, d: services.application_submit(
                application=a, actor=request.user, confirm_incomplete=d["confirm_incomplete"]
            ),
        )

    @_answer(inputs.AppSubmitSerializer, summary="补正后重新提交")
    @step("resubmit")
    def resubmit(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppSubmitSerializer,
            lambda a, d: services.application_resubmit(
                application=a, actor=request.user, confirm_incomplete=d["confirm_incomplete"]
            ),
        )

    @_answer(inputs.AppReviewSerializer, summary="初审:逐项作出结论")
    @step("review")
    def review(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppReviewSerializer,
            lambda a, d: services.application_review(actor=request.user, application=a, verdicts=d["_verdicts"]),
        )

    @_answer(inputs.AppEmptySerializer, summary="退回补正(一次性告知)")
    @step("return")
    def return_(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppEmptySerializer,
            lambda a, d: services.application_return(actor=request.user, application=a),
        )

    @_answer(inputs.AppEmptySerializer, summary="受理")
    @step("accept")
    def accept(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppEmptySerializer,
            lambda a, d: services.application_accept(actor=request.user, application=a),
        )

    @_answer(inputs.AppSuspendSerializer, summary="中止计时")
    @step("suspend")
    def suspend(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppSuspendSerializer,
            lambda a, d: services.clock_suspend(
                actor=request.user, application=a, kind=d["kind"], reason=d["reason"], started_on=d.get("started_on")
            ),
        )

    @_answer(inputs.AppResumeSerializer, summary="恢复计时")
    @step("resume")
    def resume(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppResumeSerializer,
            lambda a, d: services.clock_resume(actor=request.user, application=a, ended_on=d.get("ended_on")),
        )

    @_answer(inputs.AppReasonSerializer, summary="延长期限(10个工作日,一次)")
    @step("extend")
    def extend(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppReasonSerializer,
            lambda a, d: services.clock_extend(actor=request.user, application=a, reason=d["reason"]),
        )

    @_answer(inputs.AppOptionalReasonSerializer, summary="准予登记(成立和换证当场发证)")
    @step("approve")
    def approve(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppOptionalReasonSerializer,
            lambda a, d: services.application_approve(actor=request.user, application=a, reason=d.get("reason", "")),
        )

    @_answer(inputs.AppReasonSerializer, summary="不予登记")
    @step("refuse")
    def refuse(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppReasonSerializer,
            lambda a, d: services.application_refuse(actor=request.user, application=a, reason=d["reason"]),
        )

    @_answer(inputs.AppOptionalReasonSerializer, summary="撤回申请")
    @step("withdraw")
    def withdraw(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppOptionalReasonSerializer,
            lambda a, d: services.application_withdraw(application=a, actor=request.user, reason=d.get("reason", "")),
        )

    @_answer(inputs.AppEmptySerializer, summary="生成告知承诺书")
    @step("commitment")
    def commitment(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppEmptySerializer,
            lambda a, d: commitments.commitment_create(actor=request.user, application=a),
        )

    @_answer(inputs.AppSignSerializer, summary="上传签字的告知承诺书")
    @step("commitment/sign")
    def commitment_sign(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppSignSerializer,
            lambda a, d: commitments.commitment_sign(
                actor=request.user, commitment=commitment_of(a), signed_copy_file=d["signed_copy"]
            ),
        )

    @_answer(inputs.AppVerifySerializer, summary="记录告知承诺核查结果(不实则撤销登记)")
    @step("commitment/verify")
    def commitment_verify(self, request: Request, pk: int) -> Response:
        return self._act(
            request,
            pk,
            inputs.AppVerifySerializer,
            lambda a, d: commitments.commitment_verify(
                actor=request.user, commitment=commitment_of(a), truthful=d["truthful"], note=d.get("note", "")
            ),
        )
