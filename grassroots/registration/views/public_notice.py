"""The public one-time notice (一次性告知) under /socialorg/notice/: pick a
service, answer a few questions, get the complete material list on a page
and as a PDF, and download the blank forms.

Everything is a GET with the answers in the query string, so that a list can
be bookmarked, sent to a family member, or opened again from the PDF's QR
code; a bad or missing answer shows the questions again with the other
answers kept and a Chinese message on each problem."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited

from grassroots.core.documents import PDF_CONTENT_TYPE, content_disposition
from grassroots.core.errors import NotFound

from ..models import Service
from ..services.notice import (
    DOCUMENT_TEMPLATES,
    NoticeAnswersInvalid,
    authority_get,
    document_template_pdf,
    notice_context,
    notice_pdf,
    parse_answers,
    questions_for,
)

# Per client IP address: PDFs cost CPU, pages are cheap.
PDF_RATE = "30/m"
TEMPLATE_CACHE_SECONDS = 3600


def _limited(request: HttpRequest, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=f"registration-notice.{group}", key="ip", rate=rate, increment=True)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/public/notice/too_many.html", status=429)


def _services() -> list[Service]:
    return list(Service.objects.order_by("sort_order", "code"))


def _choose(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    return render(
        request,
        "registration/public/notice/choose.html",
        {"services": _services(), "error": error, "authority": authority_get()},
        status=status,
    )


def _questions(
    request: HttpRequest, service: Service, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    rows = [
        {"question": q, "value": request.GET.get(q.key, ""), "error": (errors or {}).get(q.key, "")}
        for q in questions_for(service)
    ]
    return render(
        request,
        "registration/public/notice/questions.html",
        {"service": service, "rows": rows, "has_errors": bool(errors)},
        status=status,
    )


@login_not_required
@require_GET
def notice(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("service", "").strip()
    if not code:
        return _choose(request)
    service = Service.objects.filter(code=code).first()
    if service is None:
        return _choose(request, error="没有找到这个事项,请从下面选择。", status=400)
    questions = questions_for(service)
    if "go" not in request.GET and questions:
        return _questions(request, service)
    try:
        answers = parse_answers(service=service, data=request.GET)
    except NoticeAnswersInvalid as exc:
        return _questions(request, service, errors=exc.errors, status=400)
    context: dict[str, Any] = notice_context(service=service, answers=answers)
    context["has_questions"] = bool(questions)
    context["change_url"] = f"{reverse('registration-public:appt-notice')}?{_query_without_go(request)}"
    return render(request, "registration/public/notice/result.html", context)


def _query_without_go(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("go", None)
    return query.urlencode()


@login_not_required
@require_GET
def notice_pdf_view(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("service", "").strip()
    service = Service.objects.filter(code=code).first() if code else None
    if service is None:
        return _choose(request, error="请先选择要办理的事项。", status=400)
    try:
        answers = parse_answers(service=service, data=request.GET)
    except NoticeAnswersInvalid as exc:
        return _questions(request, service, errors=exc.errors, status=400)
    if _limited(request, "pdf", PDF_RATE):
        return _too_many(request)
    response = HttpResponse(notice_pdf(service=service, answers=answers), content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"一次性告知单-{service.name}.pdf")
    return response


@login_not_required
@require_GET
def template_download(request: HttpRequest, key: str) -> HttpResponse:
    """A blank form or sample as PDF. The file depends only on the template
    and the authority's name and contact data, so it is cached."""
    if key not in DOCUMENT_TEMPLATES:
        return render(request, "registration/public/notice/not_found.html", status=404)
    authority = authority_get()
    fingerprint = hashlib.sha256(
        repr((key, authority and (authority.name, authority.address, authority.phone))).encode()
    ).hexdigest()[:32]
    cache_key = f"registration.document-template.{fingerprint}"
    cached = cache.get(cache_key)
    if cached is None:
        if _limited(request, "pdf", PDF_RATE):
            return _too_many(request)
        try:
            cached = document_template_pdf(key=key)
        except NotFound:
            return render(request, "registration/public/notice/not_found.html", status=404)
        cache.set(cache_key, cached, TEMPLATE_CACHE_SECONDS)
    filename, content = cached
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response
