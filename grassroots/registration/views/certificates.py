"""Window staff pages (/registration/) for organisations, certificates,
renewal by mail and statistics. Views parse input, call one service or
selector and render; domain errors become messages on the page."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.models import User
from grassroots.accounts.permissions import capability_required, current_user, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.documents import excel_response, pdf_response
from grassroots.core.errors import DomainError
from grassroots.core.masking import mask_phone

from ..models import Application, Certificate, Organisation, OrgType
from ..selectors import directory as directory
from ..selectors import stats as stats
from ..services import certificates as certificate_services
from ..services import decisions as decision_services
from ..services import renewal as renewal_services
from ..services import renewal_verification as verification_services
from ..services.workflow import format_tracking_code
from ..states import State

PER_PAGE = 30
EXPIRY_WARN_DAYS = 90


def application_url(application: Application) -> str:
    """The applications part's staff page of an application, when wired up."""
    try:
        return reverse("registration:app-detail", kwargs={"pk": application.pk})
    except NoReverseMatch:
        return ""


# --- Organisations ----------------------------------------------------------------


@require_GET
@capability_required(Capability.WINDOW_WORK)
def organisation_list(request: HttpRequest) -> HttpResponse:
    filters = directory.DirectoryFilters.clean(
        name=request.GET.get("q", ""),
        kind=request.GET.get("kind", ""),
        field=request.GET.get("field", ""),
        status=request.GET.get("status", ""),
    )
    page = Paginator(directory.organisations_for_staff(filters=filters), PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for organisation in page.object_list:
        certificate = directory.current_certificate(organisation)
        days_left = (certificate.valid_until - today).days if certificate else None
        rows.append((organisation, certificate, days_left))
    return render(
        request,
        "registration/certificates/organisation_list.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "kinds": OrgType.choices,
            "fields": directory.directory_fields(),
            "statuses": Organisation.Status.choices,
            "warn_days": EXPIRY_WARN_DAYS,
        },
    )


@require_GET
@capability_required(Capability.WINDOW_WORK)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    applications = list(organisation.applications.select_related("service").order_by("-created_at", "-id"))
    return render(
        request,
        "registration/certificates/organisation_detail.html",
        {
            "organisation": organisation,
            "chain": directory.certificate_chain(organisation=organisation),
            "applications": [(a, application_url(a)) for a in applications],
            "can_decide": user_can(request.user, Capability.WINDOW_DECIDE),
            "funds_label": certificate_services.FUNDS_LABELS.get(OrgType(organisation.org_type), "资金"),
            "today": timezone.localdate(),
            "phones": verification_services.renewal_phones_on_file(organisation),
        },
    )


@require_POST
@capability_required(Capability.WINDOW_DECIDE)
def organisation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    try:
        certificate_services.organisation_revoke(
            actor=current_user(request), organisation=organisation, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤销“{organisation.name}”的登记,其证书同时作废。")
    return redirect("registration:cert-organisation", pk=organisation.pk)


@require_GET
@capability_required(Capability.WINDOW_WORK)
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate.objects.select_related("organisation"), pk=pk)
    return pdf_response(
        filename=certificate_services.certificate_filename(certificate),
        template_name="registration/documents/certificate.html",
        context=certificate_services.certificate_context(certificate=certificate),
    )


# --- Renewal by mail --------------------------------------------------------------


def _renewal_rows(queryset: object) -> list[dict[str, object]]:
    return [
        {
            "application": application,
            "tracking": format_tracking_code(application.tracking_code),
            "phone": mask_phone(application.applicant_phone),
            "url": application_url(application),
            "can_void": application.state == State.SUBMITTED,
        }
        for application in queryset  # type: ignore[attr-defined]
    ]


@require_GET
@capability_required(Capability.WINDOW_WORK)
def renewals(request: HttpRequest) -> HttpResponse:
    waiting = directory.renewals_waiting()
    return render(
        request,
        "registration/certificates/renewals.html",
        {name: _renewal_rows(queryset) for name, queryset in waiting.items()},
    )


def _renewal_application(pk: int) -> Application:
    application = Application.objects.select_related("service").filter(pk=pk).first()
    if application is None:
        raise Http404("未找到该申请。")
    return application


def _renewal_step(
    request: HttpRequest, pk: int, call: Callable[[User, Application], object], done: str, *, name_errors: bool = True
) -> HttpResponse:
    """One step of a renewal by mail from the renewals page: `done` (with the
    organisation's {name}) or the refusal as a message, back to the page."""
    application = _renewal_application(pk)
    try:
        call(current_user(request), application)
    except DomainError as exc:
        messages.error(request, f"{application.org_name}:{exc.message}" if name_errors else exc.message)
    else:
        messages.success(request, done.format(name=application.org_name))
    return redirect("registration:cert-renewals")


@require_POST
@capability_required(Capability.WINDOW_WORK)
def renewal_received(request: HttpRequest, pk: int) -> HttpResponse:
    return _renewal_step(
        request,
        pk,
        lambda user, application: renewal_services.renewal_mark_received(actor=user, application=application),
        "已确认收到“{name}”寄来的旧证书。",
        name_errors=False,
    )


@require_POST
@capability_required(Capability.WINDOW_WORK)
def renewal_mail_out(request: HttpRequest, pk: int) -> HttpResponse:
    outbound = request.POST.get("outbound", "")
    return _renewal_step(
        request,
        pk,
        lambda user, application: renewal_services.renewal_mail_out(
            actor=user, application=application, outbound_tracking=outbound
        ),
        "已登记寄出“{name}”的新证书,并短信告知申请人运单号。",
    )


@require_POST
@capability_required(Capability.WINDOW_WORK)
def renewal_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void a renewal request that was not the organisation's own (ADR 0028)."""
    reason = request.POST.get("reason", "")
    return _renewal_step(
        request,
        pk,
        lambda user, application: decision_services.application_void(
            actor=user, application=application, reason=reason
        ),
        "已作废“{name}”的换证申请,该组织可以重新申请。",
    )


@require_POST
@capability_required(Capability.WINDOW_WORK)
def organisation_phones(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    try:
        verification_services.organisation_phones_update(
            actor=current_user(request),
            organisation=organisation,
            legal_representative_phone=request.POST.get("legal_representative_phone", ""),
            contact_phone=request.POST.get("contact_phone", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已更新留存手机号。")
    return redirect("registration:cert-organisation", pk=organisation.pk)


# --- Statistics -------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[datetime.date, datetime.date, str]:
    default_from, default_to = stats.default_period()
    error = ""
    try:
        date_from = datetime.date.fromisoformat(request.GET["from"]) if request.GET.get("from") else default_from
        date_to = datetime.date.fromisoformat(request.GET["to"]) if request.GET.get("to") else default_to
    except ValueError:
        return default_from, default_to, "日期格式不正确,已显示本年度至今的统计。"
    if date_from > date_to:
        return default_from, default_to, "开始日期不能晚于结束日期,已显示本年度至今的统计。"
    return date_from, date_to, error


@require_GET
@capability_required(Capability.WINDOW_WORK)
def stats_page(request: HttpRequest) -> HttpResponse:
    date_from, date_to, error = _period(request)
    result = stats.registration_stats(date_from=date_from, date_to=date_to)
    headers, rows = stats.stats_table(result)
    return render(
        request,
        "registration/certificates/stats.html",
        {
            "result": result,
            "headers": headers,
            "rows": rows,
            "chart": stats.chart_data(result),
            "error": error,
            "can_export": user_can(request.user, Capability.EXPORT_DATA),
        },
        status=400 if error else 200,
    )


@require_GET
@capability_required(Capability.WINDOW_WORK)
@capability_required(Capability.EXPORT_DATA)
def stats_export(request: HttpRequest) -> HttpResponse:
    date_from, date_to, error = _period(request)
    if error:
        messages.error(request, error)
        return redirect("registration:cert-stats")
    result = stats.registration_stats(date_from=date_from, date_to=date_to)
    headers, rows = stats.stats_table(result)
    return excel_response(
        filename=f"社会组织登记办理统计-{date_from:%Y%m%d}-{date_to:%Y%m%d}.xlsx",
        sheet_title="办理统计",
        headers=headers,
        rows=rows,
        user=request.user,
        request=request,
        object_type="registration.stats",
        detail={"from": date_from.isoformat(), "to": date_to.isoformat()},
    )
