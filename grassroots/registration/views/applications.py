"""Window staff pages for applications (/registration/applications/): the
queue with its clocks and filters, filing on the applicant's behalf (帮办,
optionally from an appointment), the detail page (actions in
views.applications_actions) and the documents (materials, return notice,
acceptance notice, commitment)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability
from grassroots.core.documents import content_disposition, pdf_response
from grassroots.core.errors import DomainError

from .. import permissions
from ..forms.applications import (
    ApplicationForm,
    QueueFilterForm,
    appointment_label,
    initial_from_application,
    initial_from_appointment,
)
from ..models import ApplicationMaterial, Appointment, Commitment, Service
from ..selectors.applications import application_get, applications_queue, queue_rows
from ..services import applications as services
from ..services.commitments import commitment_context
from ..services.review_documents import acceptance_context, notice_context
from .applications_actions import detail_context

PAGE_SIZE = 30


@require_GET
@capability_required(Capability.WINDOW_WORK)
def queue(request: HttpRequest) -> HttpResponse:
    """待办: every application of the authority (not tree-scoped, ADR 0011)
    with its review and decision clocks; filters by state, service, overdue
    and assisted."""
    form = QueueFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    page = Paginator(applications_queue(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": queue_rows(list(page.object_list)),
        "query_string": _without_page(request),
    }
    template = (
        "registration/applications/_queue_results.html"
        if getattr(request, "htmx", None)
        else "registration/applications/queue.html"
    )
    return render(request, template, context)


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _appointment(request: HttpRequest) -> Appointment | None:
    raw = request.GET.get("appointment") or request.POST.get("appointment") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(Appointment.objects.select_related("service", "slot"), pk=int(raw))


@require_http_methods(["GET", "POST"])
@capability_required(Capability.WINDOW_WORK)
def new(request: HttpRequest) -> HttpResponse:
    """帮办: staff fill in the form on the applicant's behalf, prefilled from
    an appointment (`?appointment=<id>`) or for a chosen service (`?service=<code>`)."""
    appointment = _appointment(request)
    code = request.GET.get("service") or request.POST.get("service") or ""
    service: Service | None = appointment.service if appointment else Service.objects.filter(code=code).first()
    if service is None:
        return render(
            request,
            "registration/applications/new_pick.html",
            {"services": Service.objects.order_by("sort_order", "code")},
        )
    initial = initial_from_appointment(appointment) if appointment else {}
    form = ApplicationForm(request.POST or None, service=service, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                service=service,
                data=form.to_input(),
                actor=current_user(request),
                on_behalf_of=form.cleaned_data["applicant_name"],
                appointment=appointment,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已为{application.applicant_name}建立申请,请代为上传材料后提交。")
            return redirect("registration:app-detail", pk=application.pk)
    return render(
        request,
        "registration/applications/form.html",
        {
            "form": form,
            "service": service,
            "appointment": appointment,
            "appointment_label": appointment_label(appointment) if appointment else "",
            "application": None,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@capability_required(Capability.WINDOW_WORK)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get(pk)
    return render(request, "registration/applications/detail.html", detail_context(request, application))


@require_http_methods(["GET", "POST"])
@capability_required(Capability.WINDOW_WORK)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_get(pk)
    if not permissions.staff_can(request.user, application, "edit"):
        messages.error(request, f"申请当前为“{application.get_state_display()}”,不能修改申请表。")
        return redirect("registration:app-detail", pk=application.pk)
    form = ApplicationForm(
        request.POST or None, service=application.service, initial=initial_from_application(application)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(application=application, data=form.to_input(), actor=current_user(request))
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "申请表已修改。")
            return redirect("registration:app-detail", pk=application.pk)
    return render(
        request,
        "registration/applications/form.html",
        {"form": form, "service": application.service, "application": application, "appointment": None},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@capability_required(Capability.WINDOW_WORK)
def material_file(request: HttpRequest, pk: int, material_pk: int) -> HttpResponse:
    application = application_get(pk)
    material = next((m for m in application.materials.all() if m.pk == material_pk), None)
    if material is None:
        raise Http404
    return material_response(material)


def material_response(material: ApplicationMaterial) -> HttpResponse:
    """One uploaded file (at most 10 MB), shown inline under its own name."""
    with material.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=material.content_type)
    response["Content-Disposition"] = content_disposition(material.original_name, inline=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@capability_required(Capability.WINDOW_WORK)
def return_notice_pdf(request: HttpRequest, pk: int, notice_pk: int) -> HttpResponse:
    application = application_get(pk)
    notice = next((n for n in application.return_notices.all() if n.pk == notice_pk), None)
    if notice is None:
        raise Http404
    return return_notice_response(notice)


def return_notice_response(notice: Any) -> HttpResponse:
    return pdf_response(
        filename=f"补正告知书-{notice.number}.pdf",
        template_name="registration/documents/return_notice.html",
        context=notice_context(notice=notice),
    )


@require_GET
@capability_required(Capability.WINDOW_WORK)
def acceptance_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return acceptance_response(application_get(pk))


def acceptance_response(application: Any) -> HttpResponse:
    if not application.number:
        raise Http404
    return pdf_response(
        filename=f"受理通知书-{application.number}.pdf",
        template_name="registration/documents/acceptance_notice.html",
        context=acceptance_context(application=application),
    )


@require_GET
@capability_required(Capability.WINDOW_WORK)
def commitment_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return commitment_response(application_get(pk))


def commitment_response(application: Any) -> HttpResponse:
    commitment = Commitment.objects.filter(application=application).first()
    if commitment is None:
        raise Http404
    return pdf_response(
        filename=f"告知承诺书-{application.org_name}.pdf",
        template_name="registration/documents/commitment.html",
        context=commitment_context(commitment=commitment),
    )
