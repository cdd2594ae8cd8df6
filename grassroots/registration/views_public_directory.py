"""Public pages without login (/socialorg/): the directory of registered
organisations (登记目录), verification by credit code (the target of the QR
code on every certificate), renewal by mail without a visit (不见面审批),
and the applicant's certificate PDF reached through the tracking code.

Nothing personal is shown: an organisation appears as on its certificate
(the legal representative's name is printed there and public); applicants'
names, phones and ID numbers never. Look-ups and submissions are
rate-limited per IP address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from grassroots.core.documents import content_disposition
from grassroots.core.errors import DomainError

from . import selectors_directory as directory
from .models import Application, Certificate, Organisation, OrgType, ServiceKind
from .services import certificates as certificate_services
from .services import renewal as renewal_services
from .services.workflow import format_tracking_code, parse_tracking_code

PER_PAGE = 20
LOOKUP_RATE = "60/m"
RENEW_RATE = "10/h"
PDF_RATE = "30/m"


def _limited(request: HttpRequest, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=f"registration-public.{group}", key="ip", rate=rate, increment=True)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/public/directory/too_many.html", status=429)


def _funds_label(organisation: Organisation | None) -> str:
    if organisation is None:
        return ""
    return certificate_services.FUNDS_LABELS.get(OrgType(organisation.org_type), "资金")


def track_url(tracking_code: str) -> str:
    """The applications part's tracking page, when it is wired up."""
    try:
        return reverse("registration-public:app-track", kwargs={"code": tracking_code})
    except NoReverseMatch:
        return ""


# --- Directory --------------------------------------------------------------------


@login_not_required
@require_GET
def directory_list(request: HttpRequest) -> HttpResponse:
    if _limited(request, "lookup", LOOKUP_RATE):
        return _too_many(request)
    filters = directory.DirectoryFilters.clean(
        name=request.GET.get("q", ""),
        kind=request.GET.get("kind", ""),
        field=request.GET.get("field", ""),
        status=request.GET.get("status", ""),
    )
    page = Paginator(directory.directory_search(filters=filters), PER_PAGE).get_page(request.GET.get("page"))
    rows = [(organisation, directory.current_certificate(organisation)) for organisation in page.object_list]
    return render(
        request,
        "registration/public/directory/list.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "kinds": OrgType.choices,
            "fields": directory.directory_fields(),
            "statuses": Organisation.Status.choices,
            "today": timezone.localdate(),
            "section": "directory",
        },
    )


@login_not_required
@require_GET
def organisation_page(request: HttpRequest, code: str) -> HttpResponse:
    if _limited(request, "lookup", LOOKUP_RATE):
        return _too_many(request)
    try:
        organisation = directory.organisation_by_credit_code(credit_code=code)
    except DomainError:
        return render(request, "registration/public/directory/not_found.html", status=404)
    return render(
        request,
        "registration/public/directory/organisation.html",
        {
            "organisation": organisation,
            "chain": directory.certificate_chain(organisation=organisation),
            "verification": directory.verify_credit_code(code=organisation.credit_code),
            "funds_label": _funds_label(organisation),
            "section": "directory",
        },
    )


# --- Verification -----------------------------------------------------------------


@login_not_required
@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """Type a code: a mistyped one is refused by its check characters before
    anything is looked up."""
    raw = request.GET.get("code", "")
    code = directory.normalise_code(raw)
    if not raw.strip():
        return render(request, "registration/public/directory/verify_form.html", {"code": "", "section": "verify"})
    bad = directory.check_code_format(code)
    if bad is not None:
        verification = directory.Verification(code, bad)
        return render(
            request,
            "registration/public/directory/verify_form.html",
            {"code": raw.strip()[:40], "error": verification.message, "section": "verify"},
            status=400,
        )
    return redirect("registration-public:cert-verify", code=code)


@login_not_required
@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    if _limited(request, "lookup", LOOKUP_RATE):
        return _too_many(request)
    verification = directory.verify_credit_code(code=code, token=request.GET.get("t", ""))
    status = 200
    if verification.verdict == directory.Verdict.NOT_FOUND:
        status = 404
    elif verification.verdict in (directory.Verdict.BAD_FORMAT, directory.Verdict.BAD_CHECK):
        status = 400
    return render(
        request,
        "registration/public/directory/verify.html",
        {
            "v": verification,
            "checked_at": timezone.localtime(),
            "funds_label": _funds_label(verification.organisation),
            "section": "verify",
        },
        status=status,
    )


# --- Renewal by mail --------------------------------------------------------------


def _renew_page(request: HttpRequest, *, values: dict[str, str], errors: dict[str, str], status: int) -> HttpResponse:
    authority = certificate_services.authority_or_none()
    return render(
        request,
        "registration/public/directory/renew.html",
        {
            "values": values,
            "errors": errors,
            "authority": authority,
            "opens_days": renewal_services.RENEWAL_OPENS_DAYS,
            "statutory_days": renewal_services.RENEWAL_STATUTORY_DAYS,
            "section": "renew",
        },
        status=status,
    )


RENEW_FIELDS = ("credit_code", "applicant_name", "phone", "inbound_tracking")


@login_not_required
@require_http_methods(["GET", "POST"])
def renew(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        values = {"credit_code": request.GET.get("code", "")[:40]}
        return _renew_page(request, values=values, errors={}, status=200)
    values = {name: request.POST.get(name, "").strip()[:60] for name in RENEW_FIELDS}
    if _limited(request, "renew", RENEW_RATE):
        return _renew_page(request, values=values, errors={"form": "提交过于频繁,请稍后再试。"}, status=429)
    try:
        check = renewal_services.renewal_check(credit_code=values["credit_code"])
        application = renewal_services.renewal_request(
            organisation_credit_code=values["credit_code"],
            applicant_name=values["applicant_name"],
            phone=values["phone"],
            inbound_tracking=values["inbound_tracking"],
        )
    except DomainError as exc:
        return _renew_page(request, values=values, errors={exc.field or "form": exc.message}, status=400)
    if check.warning:
        messages.warning(request, check.warning)
    return redirect("registration-public:cert-renew-done", code=application.tracking_code)


@login_not_required
@require_GET
def renew_check(request: HttpRequest) -> HttpResponse:
    """htmx: the organisation behind a typed credit code and whether it may
    renew now, so that the applicant sees whose certificate they renew."""
    if _limited(request, "lookup", LOOKUP_RATE):
        return _too_many(request)
    raw = request.GET.get("credit_code", "").strip()
    context: dict[str, object] = {"raw": raw}
    if raw:
        try:
            context["check"] = renewal_services.renewal_check(credit_code=raw)
        except DomainError as exc:
            context["error"] = exc.message
    return render(request, "registration/public/directory/_renew_check.html", context)


def _renewal_for_code(code: str) -> Application | None:
    normalised = parse_tracking_code(code)
    if not normalised:
        return None
    return (
        Application.objects.select_related("service", "organisation")
        .filter(tracking_code=normalised, service__kind=ServiceKind.RENEWAL)
        .first()
    )


@login_not_required
@require_GET
def renew_done(request: HttpRequest, code: str) -> HttpResponse:
    if _limited(request, "lookup", LOOKUP_RATE):
        return _too_many(request)
    application = _renewal_for_code(code)
    if application is None:
        return render(request, "registration/public/directory/not_found.html", status=404)
    authority = certificate_services.authority_or_none()
    return render(
        request,
        "registration/public/directory/renew_done.html",
        {
            "application": application,
            "tracking": format_tracking_code(application.tracking_code),
            "track_url": track_url(application.tracking_code),
            "authority": authority,
            "section": "renew",
        },
    )


# --- The applicant's certificate ---------------------------------------------------


@login_not_required
@require_GET
def applicant_certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate of the application with tracking code `code` (the
    unguessable code is the applicant's key, as on the tracking page)."""
    if _limited(request, "pdf", PDF_RATE):
        return _too_many(request)
    normalised = parse_tracking_code(code)
    certificate = (
        Certificate.objects.select_related("organisation").filter(application__tracking_code=normalised).first()
        if normalised
        else None
    )
    if certificate is None:
        return render(request, "registration/public/directory/not_found.html", status=404)
    response = HttpResponse(
        certificate_services.certificate_pdf(certificate=certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition(certificate_services.certificate_filename(certificate))
    return response
