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
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from grassroots.core.documents import content_disposition
from grassroots.core.errors import DomainError, NotFound

from ..forms.renewal import RenewalCodeForm, RenewalRequestForm
from ..models import Application, Certificate, Organisation, OrgType, RenewalVerification, ServiceKind
from ..selectors import directory as directory
from ..services import certificates as certificate_services
from ..services import renewal as renewal_services
from ..services import renewal_verification as verification_services
from ..services.workflow import format_tracking_code, parse_tracking_code

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
# Two steps (ADR 0028): the request is checked and a code goes by SMS to a
# phone on file; the request exists only once that code is entered.


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _check_context(raw: str) -> dict[str, object]:
    """Whose certificate a typed code renews, and where the SMS code can go."""
    context: dict[str, object] = {"raw": raw}
    if raw:
        try:
            check = renewal_services.renewal_check(credit_code=raw)
        except DomainError as exc:
            context["error"] = exc.message
        else:
            context["check"] = check
            context["phones"] = verification_services.renewal_phones_on_file(check.organisation)
    return context


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
            **(_check_context(values["credit_code"]) if values.get("credit_code") else {}),
        },
        status=status,
    )


RENEW_FIELDS = ("credit_code", "recipient", "applicant_name", "phone", "inbound_tracking")


@login_not_required
@require_http_methods(["GET", "POST"])
def renew(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        values = {"credit_code": request.GET.get("code", "")[:40]}
        return _renew_page(request, values=values, errors={}, status=200)
    values = {name: request.POST.get(name, "").strip()[:60] for name in RENEW_FIELDS}
    if _limited(request, "renew", RENEW_RATE):
        return _renew_page(request, values=values, errors={"form": "提交过于频繁,请稍后再试。"}, status=429)
    form = RenewalRequestForm(values)
    if not form.is_valid():
        return _renew_page(request, values=values, errors=form.first_errors(), status=400)
    try:
        verification = verification_services.renewal_verification_start(
            organisation_credit_code=values["credit_code"],
            recipient=values["recipient"],
            applicant_name=values["applicant_name"],
            phone=values["phone"],
            inbound_tracking=values["inbound_tracking"],
            client_ip=_client_ip(request),
        )
    except DomainError as exc:
        return _renew_page(request, values=values, errors={exc.field or "form": exc.message}, status=exc.status)
    return redirect("registration-public:cert-renew-verify", token=verification.token)


def _verify_page(
    request: HttpRequest, *, verification: RenewalVerification, error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "registration/public/directory/renew_verify.html",
        {
            "verification": verification,
            "masked_phone": verification_services.renewal_verification_masked_phone(verification),
            "ttl_minutes": verification_services.CODE_TTL.seconds // 60,
            "error": error,
            "section": "renew",
        },
        status=status,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def renew_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Step 2: the code from the SMS. A verified request goes to its done page."""
    if _limited(request, "lookup", LOOKUP_RATE):
        return _too_many(request)
    try:
        verification = verification_services.renewal_verification_get(token=token)
    except DomainError:
        return render(request, "registration/public/directory/not_found.html", status=404)
    if verification.application is not None:
        return redirect("registration-public:cert-renew-done", code=verification.application.tracking_code)
    if request.method != "POST":
        return _verify_page(request, verification=verification)
    form = RenewalCodeForm(request.POST)
    if not form.is_valid():
        return _verify_page(request, verification=verification, error=str(form.errors["code"][0]), status=400)
    try:
        check = renewal_services.renewal_check(credit_code=verification.organisation.credit_code)
        application = verification_services.renewal_verification_confirm(
            token=token, code=form.cleaned_data["code"], client_ip=_client_ip(request)
        )
    except DomainError as exc:
        verification.refresh_from_db()
        return _verify_page(request, verification=verification, error=exc.message, status=exc.status)
    if check.warning:
        messages.warning(request, check.warning)
    return redirect("registration-public:cert-renew-done", code=application.tracking_code)


@login_not_required
@require_POST
def renew_resend(request: HttpRequest, token: str) -> HttpResponse:
    if _limited(request, "renew", RENEW_RATE):
        return _too_many(request)
    try:
        verification_services.renewal_verification_resend(token=token, client_ip=_client_ip(request))
    except NotFound:
        return render(request, "registration/public/directory/not_found.html", status=404)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "新的验证码已发送,之前的验证码不再有效。")
    return redirect("registration-public:cert-renew-verify", token=token)


@login_not_required
@require_GET
def renew_check(request: HttpRequest) -> HttpResponse:
    """htmx: the organisation behind a typed credit code, whether it may
    renew now and the phones on file (masked) the code can go to, so that
    the applicant sees whose certificate they renew."""
    if _limited(request, "lookup", LOOKUP_RATE):
        return _too_many(request)
    context = _check_context(request.GET.get("credit_code", "").strip())
    context["recipient"] = request.GET.get("recipient", "")
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
