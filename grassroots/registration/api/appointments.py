"""API for the service catalogue, the one-time notice and appointments under
/api/v1/registration/ (registered in api/urls.py).

Public (no login): the catalogue, the notice, bookable dates and slots,
booking (rate-limited per IP) and cancelling by token. Window staff
(WINDOW_WORK): the appointment list and the attended / no-show marks, each
its own action of the viewset. Names and phone numbers are masked in every answer."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import GenericViewSet

from grassroots.accounts.permissions import HasCapability
from grassroots.accounts.roles import Capability
from grassroots.core.errors import NotFound

from ..models import Appointment, Service, SlotTemplate
from ..selectors.appointments import appointments_between
from ..services import appointments as appointment_services
from ..services.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_mark,
    bookable_dates,
)
from ..services.notice import NoticeAnswersInvalid, notice_notes, notice_url, parse_answers, requirements_for
from ..services.slots import slots_for_day
from .serializers_appointments import (
    AppointmentSerializer,
    BookableDaySerializer,
    BookingRequestSerializer,
    BookingSerializer,
    CancelRequestSerializer,
    NoticeRequestSerializer,
    NoticeSerializer,
    ServiceSerializer,
    SlotSerializer,
)

TAGS = ["社会组织登记·预约与告知"]
BOOK_RATE = "10/h"
MAX_LIST_DAYS = 31


# --- Helpers ------------------------------------------------------------------


def _service(code: str, field: str = "service") -> Service:
    service = Service.objects.filter(code=code).first()
    if service is None:
        raise exceptions.ValidationError({field: ["没有这个事项。"]})
    return service


def _date_param(request: Request, name: str, *, required: bool) -> datetime.date | None:
    raw = request.query_params.get(name, "")
    if not raw:
        if required:
            raise exceptions.ValidationError({name: ["请提供日期(YYYY-MM-DD)。"]})
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise exceptions.ValidationError({name: ["日期格式应为 YYYY-MM-DD。"]}) from None


class PublicView(APIView):
    """No login and no session: nothing here depends on who is asking, so
    there is no ambient authority for CSRF to protect."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []


# --- Catalogue and notice ----------------------------------------------------------------


@extend_schema(tags=TAGS)
class ServiceListView(PublicView):
    @extend_schema(summary="登记事项及全部材料", responses=ServiceSerializer(many=True))
    def get(self, request: Request) -> Response:
        services = Service.objects.prefetch_related("requirements").order_by("sort_order", "code")
        return Response(ServiceSerializer(services, many=True).data)


@extend_schema(tags=TAGS)
class NoticeView(PublicView):
    @extend_schema(summary="一次性告知:按回答列出所需材料", request=NoticeRequestSerializer, responses=NoticeSerializer)
    def post(self, request: Request) -> Response:
        incoming = NoticeRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        service = _service(incoming.validated_data["service"])
        try:
            answers = parse_answers(service=service, data=incoming.validated_data.get("answers") or {})
        except NoticeAnswersInvalid as exc:
            raise exceptions.ValidationError({"answers": exc.errors}) from None
        return Response(
            NoticeSerializer(
                {
                    "service": service.code,
                    "answers": answers.to_dict(),
                    "requirements": requirements_for(service=service, answers=answers),
                    "notes": notice_notes(service=service, answers=answers),
                    "page_url": notice_url(service=service, answers=answers),
                    "pdf_url": notice_url(service=service, answers=answers, pdf=True),
                }
            ).data
        )


# --- Dates and slots ------------------------------------------------------------------


@extend_schema(tags=TAGS)
class DateListView(PublicView):
    @extend_schema(summary="可预约的日期(今后 10 个工作日)", responses=BookableDaySerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(BookableDaySerializer(bookable_dates(), many=True).data)


@extend_schema(tags=TAGS)
class SlotListView(PublicView):
    @extend_schema(
        summary="某日各时段的剩余名额",
        parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD", required=True)],
        responses=SlotSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        day = _date_param(request, "date", required=True)
        assert day is not None
        return Response(SlotSerializer(slots_for_day(date=day), many=True).data)


# --- Appointments -----------------------------------------------------------------------

# Booking and cancelling are public: no login and no session (nothing depends
# on who is asking, so there is no ambient authority for CSRF to protect).
PUBLIC_ACTIONS = {"create", "cancel"}
LIST_DESCRIPTION = "GET: window staff's list (masked). POST: public booking."
PUBLIC_DESCRIPTION = (
    "No login and no session: nothing here depends on who is asking, so\n"
    "there is no ambient authority for CSRF to protect."
)


@extend_schema(tags=TAGS)
class AppointmentViewSet(ListModelMixin, GenericViewSet):
    # GET: window staff's list (masked). POST: public booking. Cancelling by
    # token (public) and the staff marks are one action each.

    serializer_class = AppointmentSerializer
    queryset = Appointment.objects.none()  # for the schema
    list_route_name = "appt-appointments"  # the name it had before the router

    def _public(self) -> bool:
        method = (getattr(self.request, "method", "") or "").lower()
        return (getattr(self, "action_map", None) or {}).get(method) in PUBLIC_ACTIONS

    def get_permissions(self) -> list[Any]:
        if self._public():
            return [AllowAny()]
        return [HasCapability.of(Capability.WINDOW_WORK)()]

    def get_authenticators(self) -> list[Any]:
        if self.request is not None and self._public():
            return []
        return super().get_authenticators()

    @extend_schema(
        summary="预约列表(窗口工作人员)",
        description=LIST_DESCRIPTION,
        parameters=[
            OpenApiParameter("date", str, description="起始日期 YYYY-MM-DD,默认今天"),
            OpenApiParameter("end", str, description="截止日期 YYYY-MM-DD,默认与起始日期相同,最长 31 天"),
            OpenApiParameter("window", int, description="窗口 id"),
            OpenApiParameter("status", str, description="booked / cancelled / attended / no_show"),
        ],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Appointment]:
        start = _date_param(self.request, "date", required=False) or appointment_services.local_today()
        end = _date_param(self.request, "end", required=False) or start
        if end < start or (end - start).days >= MAX_LIST_DAYS:
            raise exceptions.ValidationError({"end": [f"截止日期不能早于起始日期,且最多查询 {MAX_LIST_DAYS} 天。"]})
        rows = appointments_between(start=start, end=end)
        window = self.request.query_params.get("window", "")
        if window:
            if not window.isdigit():
                raise exceptions.ValidationError({"window": ["窗口 id 应为数字。"]})
            rows = rows.filter(slot__window_id=int(window))
        wanted = self.request.query_params.get("status", "")
        if wanted:
            if wanted not in Appointment.Status.values:
                raise exceptions.ValidationError({"status": ["状态无效。"]})
            rows = rows.filter(status=wanted)
        return rows

    @extend_schema(
        summary="预约(公开,无需登录)",
        description=LIST_DESCRIPTION,
        request=BookingRequestSerializer,
        responses={201: BookingSerializer},
    )
    def create(self, request: Request) -> Response:
        if is_ratelimited(request, group="registration-api.book", key="ip", rate=BOOK_RATE, increment=True):
            raise exceptions.Throttled()
        incoming = BookingRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        service = _service(data["service"])
        slot = SlotTemplate.objects.select_related("window").filter(pk=data["slot"]).first()
        if slot is None:
            raise exceptions.ValidationError({"slot": ["没有这个预约时段。"]})
        appointment, token = appointment_book(
            slot=slot,
            date=data["date"],
            service=service,
            name=data["name"],
            phone=data["phone"],
            note=data.get("note", ""),
        )
        appointment.cancel_token = token  # type: ignore[attr-defined]
        appointment.cancel_url = reverse("registration-public:appt-cancel", args=[token])  # type: ignore[attr-defined]
        return Response(BookingSerializer(appointment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="凭取消令牌取消预约(公开)",
        description=PUBLIC_DESCRIPTION,
        request=CancelRequestSerializer,
        responses=AppointmentSerializer,
    )
    @action(detail=False, methods=["post"])
    def cancel(self, request: Request) -> Response:
        incoming = CancelRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        if is_ratelimited(request, group="registration-api.cancel", key="ip", rate="30/m", increment=True):
            raise exceptions.Throttled()
        appointment = appointment_cancel(token=incoming.validated_data["token"])
        return Response(AppointmentSerializer(appointment).data)

    def _mark(self, request: Request, pk: int, target: str) -> Response:
        appointment = Appointment.objects.select_related("slot__window", "service").filter(pk=pk).first()
        if appointment is None:
            raise NotFound("未找到这个预约。")
        appointment_mark(actor=request.user, appointment=appointment, status=target)
        return Response(AppointmentSerializer(appointment).data)

    @extend_schema(summary="标记已到场", request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def attended(self, request: Request, pk: int) -> Response:
        return self._mark(request, pk, Appointment.Status.ATTENDED)

    @extend_schema(summary="标记未到场", request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], url_path="no-show", url_name="no-show")
    def no_show(self, request: Request, pk: int) -> Response:
        return self._mark(request, pk, Appointment.Status.NO_SHOW)
