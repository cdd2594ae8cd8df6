"""Appointment pages: public booking under /socialorg/book/ (service → date
→ slot → name and phone → confirmation; cancel by the SMS link) and the
window staff's calendar under /registration/appointments/.

The booking steps are GETs that carry the choices in the query string, so
the back button and a reload behave; only the final step posts. Bookings
and cancellations are rate-limited per IP address."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError

from ..forms.appointments import BookingForm, MarkForm, parse_date
from ..models import Appointment, Service
from ..selectors.appointments import View, appointment_calendar, remaining_by_date
from ..services import appointments as appointment_services
from ..services.appointments import (
    BOOKING_DAYS,
    appointment_book,
    appointment_cancel,
    appointment_for_token,
    appointment_mark,
    bookable_dates,
)
from ..services.notice import authority_get
from ..services.slots import format_day, slots_for_day

BOOK_RATE = "10/h"
LOOKUP_RATE = "30/m"
SESSION_KEY = "registration.booked"


def _limited(request: HttpRequest, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=f"registration-book.{group}", key="ip", rate=rate, increment=True)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/public/notice/too_many.html", status=429)


# --- Public booking -------------------------------------------------------------------


def bookable_services() -> list[Service]:
    return list(Service.objects.filter(no_visit=False).order_by("sort_order", "code"))


def _book_page(request: HttpRequest, step: str, *, status: int = 200, **context: Any) -> HttpResponse:
    steps = [("service", "选事项"), ("date", "选日期"), ("slot", "选时段"), ("form", "填信息")]
    index = [key for key, _label in steps].index(step)
    return render(
        request,
        "registration/appointments/book.html",
        {
            "step": step,
            "steps": [
                {"label": label, "done": i < index, "current": i == index} for i, (_k, label) in enumerate(steps)
            ],
            "authority": authority_get(),
            "booking_days": BOOKING_DAYS,
            **context,
        },
        status=status,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    services = bookable_services()
    code = request.GET.get("service", "")
    service = next((s for s in services if s.code == code), None)
    if service is None:
        no_visit = Service.objects.filter(code=code, no_visit=True).first() if code else None
        error = ""
        if no_visit is not None:
            error = f"“{no_visit.name}”不见面办理,直接网上申请即可,无需预约。"
        elif code:
            error = "没有找到这个事项,请从下面选择。"
        return _book_page(request, "service", services=services, error=error, status=400 if code else 200)

    today = appointment_services.local_today()
    days = bookable_dates(today=today)
    raw_date = request.GET.get("date", "")
    day = parse_date(raw_date)
    chosen_day = next((d for d in days if d.date == day), None)
    if chosen_day is None:
        remaining = remaining_by_date(dates=[d.date for d in days])
        return _book_page(
            request,
            "date",
            service=service,
            days=[{"day": d, "remaining": remaining.get(d.date, 0)} for d in days],
            any_provisional=any(d.provisional for d in days),
            error="这一天不能预约,请从下面的日期中选择。" if raw_date else "",
            status=400 if raw_date else 200,
        )

    slots = slots_for_day(date=chosen_day.date)
    raw_slot = request.GET.get("slot", "")
    chosen = next((s for s in slots if str(s.slot.pk) == raw_slot), None)
    if chosen is None or (chosen.full and request.method == "GET"):
        error = ""
        if chosen is not None:
            error = "这个时段已经约满了,请选择其他时段。"
        elif raw_slot:
            error = "没有这个时段,请从下面选择。"
        return _book_page(
            request,
            "slot",
            service=service,
            day=chosen_day,
            slots=slots,
            multiple_windows=len({s.slot.window_id for s in slots}) > 1,
            error=error,
            status=400 if raw_slot else 200,
        )

    form = BookingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if _limited(request, "book", BOOK_RATE):
            return _book_page(
                request, "form", service=service, day=chosen_day, chosen=chosen, form=form, limited=True, status=429
            )
        if form.is_valid():
            try:
                appointment, token = appointment_book(
                    slot=chosen.slot,
                    date=chosen_day.date,
                    service=service,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    note=form.cleaned_data["note"],
                    today=today,
                )
            except DomainError as exc:
                form.add_domain_error(exc)
                return _book_page(
                    request,
                    "form",
                    service=service,
                    day=chosen_day,
                    chosen=chosen,
                    form=form,
                    slot_full=exc.code == "appointment_slot_full",
                    status=exc.status,
                )
            request.session[SESSION_KEY] = {"id": appointment.pk, "token": token}
            return redirect("registration-public:appt-book-done")
        return _book_page(request, "form", service=service, day=chosen_day, chosen=chosen, form=form, status=400)
    return _book_page(request, "form", service=service, day=chosen_day, chosen=chosen, form=form)


@login_not_required
@require_GET
def book_done(request: HttpRequest) -> HttpResponse:
    booked = request.session.get(SESSION_KEY)
    booked_id = booked.get("id") if isinstance(booked, dict) else None
    token = str(booked.get("token", "")) if isinstance(booked, dict) else ""
    appointment = (
        Appointment.objects.select_related("slot__window", "service").filter(pk=booked_id).first()
        if isinstance(booked_id, int)
        else None
    )
    if appointment is None or not token:
        return redirect("registration-public:appt-book")
    return render(
        request,
        "registration/appointments/book_done.html",
        {
            "appointment": appointment,
            "day_label": format_day(appointment.date),
            "cancel_url": reverse("registration-public:appt-cancel", args=[token]),
            "notice_url": f"{reverse('registration-public:appt-notice')}?service={appointment.service.code}",
            "authority": authority_get(),
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    if _limited(request, "lookup", LOOKUP_RATE):
        return _too_many(request)
    appointment = appointment_for_token(token=token)
    if appointment is None:
        return render(request, "registration/appointments/not_found.html", status=404)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            appointment = appointment_cancel(token=token)
        except DomainError as exc:
            error = exc.message
            status = exc.status
        else:
            messages.success(request, "预约已取消,这个时段已让给其他人。")
            return redirect("registration-public:appt-cancel", token=token)
    return render(
        request,
        "registration/appointments/cancel.html",
        {
            "appointment": appointment,
            "day_label": format_day(appointment.date),
            "past": appointment.date < appointment_services.local_today(),
            "error": error,
            "authority": authority_get(),
        },
        status=status,
    )


# --- Staff calendar ------------------------------------------------------------------------


def assist_url(appointment: Appointment) -> str:
    """帮办: the applications part's new-application page, prefilled from the booking."""
    return f"{reverse('registration:app-new')}?appointment={appointment.pk}"


@capability_required(Capability.WINDOW_WORK)
@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    view: View = "week" if request.GET.get("view") == "week" else "day"
    today = appointment_services.local_today()
    raw_date = request.GET.get("date", "")
    anchor = parse_date(raw_date) or today
    if raw_date and parse_date(raw_date) is None:
        messages.warning(request, "日期格式不正确,已显示今天。")
    raw_window = request.GET.get("window", "")
    window_id = int(raw_window) if raw_window.isdigit() else None
    data = appointment_calendar(anchor=anchor, view=view, window_id=window_id)
    for window in data.windows:
        for row in window.rows:
            for cell in row.cells:
                for appointment in cell.appointments:
                    appointment.assist_url = assist_url(appointment)  # type: ignore[attr-defined]
    return render(
        request,
        "registration/appointments/calendar.html",
        {
            "cal": data,
            "view": view,
            "today": today,
            "window_id": window_id,
            "here": request.get_full_path(),
            "booked": Appointment.Status.BOOKED,
            "attended": Appointment.Status.ATTENDED,
            "no_show": Appointment.Status.NO_SHOW,
            "cancelled": Appointment.Status.CANCELLED,
        },
    )


@capability_required(Capability.WINDOW_WORK)
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = get_object_or_404(Appointment.objects.select_related("slot__window", "service"), pk=pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "只能标记为“已到场”或“未到场”。")
    else:
        try:
            appointment_mark(
                actor=current_user(request),
                appointment=appointment,
                status=form.cleaned_data["status"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"预约 {appointment.code} 已标记为“{appointment.get_status_display()}”。")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) or not target.startswith(
        reverse("registration:appt-calendar")
    ):
        target = f"{reverse('registration:appt-calendar')}?date={appointment.date.isoformat()}"
    return redirect(target)
