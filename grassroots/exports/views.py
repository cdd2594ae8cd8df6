"""Pages: the request form's answer, the requester's list (我的导出), the
security administrator's list of pending requests (导出审批) and the
download of an approved file."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import capability_required
from grassroots.core.clientip import client_ip
from grassroots.core.errors import DomainError, NotFound

from . import permissions, selectors, services
from .gate import approval_page, error_page, export_page, file_response, is_file, page_decision_from_token, replay


@require_GET
@capability_required(permissions.REQUEST)
def run(request: HttpRequest, kind: str) -> HttpResponse:
    """Any registered export through the gate (the apps' links point here or
    to their own URL, which calls the same `export_page`)."""
    return export_page(request, kind)


@require_POST
@capability_required(permissions.REQUEST)
def request_create(request: HttpRequest, kind: str) -> HttpResponse:
    """Ask for an export; the parameters come from the query string and are
    parsed and counted again here (never trusted from the form)."""
    try:
        decision = services.export_decide(actor=request.user, kind_key=kind, query=request.GET)
    except DomainError as exc:
        return error_page(request, exc)
    if not decision.needs_approval:
        return redirect(f"{request.path.removesuffix('request/')}?{request.GET.urlencode()}")
    try:
        export = services.export_request_create(
            actor=request.user, decision=decision, reason=request.POST.get("reason", ""), ip=client_ip(request)
        )
    except DomainError as exc:
        return approval_page(request, decision, error=exc.message, status=exc.status)
    messages.success(request, f"导出申请 {export.number} 已提交,安全管理员批准后可在“我的导出”下载。")
    return redirect("exports:mine")


@require_POST
@capability_required(permissions.REQUEST)
def request_page(request: HttpRequest) -> HttpResponse:
    """Ask for a page's own export that the guard stopped (its signed form)."""
    try:
        decision = page_decision_from_token(request, request.POST.get("token", ""))
    except DomainError as exc:
        return error_page(request, exc)
    try:
        export = services.export_request_create(
            actor=request.user, decision=decision, reason=request.POST.get("reason", ""), ip=client_ip(request)
        )
    except DomainError as exc:
        return approval_page(
            request, decision, error=exc.message, status=exc.status, token=request.POST.get("token", "")
        )
    messages.success(request, f"导出申请 {export.number} 已提交,安全管理员批准后可在“我的导出”下载。")
    return redirect("exports:mine")


@require_GET
@capability_required(permissions.REQUEST)
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "exports/mine.html", {"requests": selectors.export_requests_of(user=request.user)[:100]})


@require_GET
@capability_required(permissions.REQUEST)
def download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        export = selectors.export_request_of(user=request.user, pk=pk)
    except NotFound:
        raise Http404("导出申请不存在。") from None
    try:
        if export.kind != services.PAGE_KIND:
            return file_response(
                services.export_request_download(actor=request.user, export=export, ip=client_ip(request))
            )
        services.export_request_check_download(actor=request.user, export=export)
        response = replay(request, export)
    except DomainError as exc:
        return error_page(request, exc)
    if is_file(response):
        # The page's excel_response audited the file with the request number.
        services.export_request_downloaded(
            actor=request.user, export=export, detail={"path": export.params.get("path")}, audited=True
        )
    return response


@require_GET
@capability_required(permissions.DECIDE)
def pending(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "exports/pending.html",
        {
            "pending": list(selectors.export_requests_pending(user=request.user)),
            "decided": selectors.export_requests_decided(user=request.user),
        },
    )


def _decide(request: HttpRequest, pk: int, *, approve: bool) -> HttpResponse:
    try:
        export = selectors.export_request_for_decision(user=request.user, pk=pk)
    except NotFound:
        raise Http404("导出申请不存在或已处理。") from None
    decide = services.export_request_approve if approve else services.export_request_reject
    try:
        decide(actor=request.user, export=export, reason=request.POST.get("reason", ""), ip=client_ip(request))
    except DomainError as exc:
        messages.error(request, f"{export.number}:{exc.message}")
        return redirect("exports:pending")
    messages.success(request, f"已{'批准' if approve else '驳回'}导出申请 {export.number}。")
    return redirect("exports:pending")


@require_POST
@capability_required(permissions.DECIDE)
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=True)


@require_POST
@capability_required(permissions.DECIDE)
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approve=False)
