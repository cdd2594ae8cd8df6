"""The page side of the export gate (ADR 0060).

- A registered kind's link calls `export_page(request, kind)`: the file when
  the export may go straight out (masked, within the row limit; watermarked
  and audited), else the 需审批 page with a form for the reason.
- Every other page export goes through `core.documents.excel_response`,
  which consults `page_guard`: over the row limit it answers the 需审批 page
  instead of the file. The form carries the page's path and query string
  signed for this user (never trusted unsigned); once approved, `replay` runs
  the same page view for the requester with the approval attached, and the
  workbook carries the request number."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from grassroots.core.clientip import client_ip
from grassroots.core.documents import XLSX_CONTENT_TYPE, content_disposition
from grassroots.core.errors import DomainError

from .errors import ExportError
from .models import ExportRequest
from .services import PAGE_KIND, Decision, ExportFile, export_decide, export_direct, row_limit

SALT = "grassroots.exports.page"
TOKEN_MAX_AGE = 3600


def file_response(file: ExportFile) -> HttpResponse:
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition(file.filename)
    response["Cache-Control"] = "no-store"
    return response


def error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "exports/error.html", {"message": exc.message}, status=exc.status)


def approval_page(
    request: HttpRequest, decision: Decision, *, error: str = "", status: int = 200, token: str = ""
) -> HttpResponse:
    try:
        back = reverse(decision.back) if decision.back else ""
    except NoReverseMatch:
        back = decision.back if decision.back.startswith("/") else ""
    if token:
        action = reverse("exports:request-page")
    else:
        query = request.GET.urlencode()
        action = reverse("exports:request", args=[decision.kind_key]) + (f"?{query}" if query else "")
    return render(
        request,
        "exports/request_form.html",
        {
            "decision": decision,
            "why": decision.why,
            "limit": row_limit(),
            "action": action,
            "token": token,
            "back": back,
            "error": error,
        },
        status=status,
    )


def export_page(request: HttpRequest, kind_key: str) -> HttpResponse:
    try:
        decision = export_decide(actor=request.user, kind_key=kind_key, query=request.GET)
        if decision.needs_approval:
            return approval_page(request, decision)
        return file_response(export_direct(actor=request.user, decision=decision, ip=client_ip(request)))
    except DomainError as exc:
        return error_page(request, exc)


# --- pages' own exports ------------------------------------------------------------


def page_decision(*, path: str, query: str, filename: str, rows: int) -> Decision:
    return Decision(
        kind_key=PAGE_KIND,
        label=filename.removesuffix(".xlsx"),
        params={"path": path, "query": query, "filename": filename},
        rows=rows,
        unmasked=False,
        back=path,
    )


def page_guard(*, request: HttpRequest, user: Any, rows: int, filename: str) -> HttpResponse | None:
    """Installed into core.documents: a page export over the limit answers
    the 需审批 page; the file it built is dropped."""
    if rows <= row_limit():
        return None
    decision = page_decision(path=request.path, query=request.GET.urlencode(), filename=filename, rows=rows)
    token = signing.dumps({**decision.params, "rows": rows, "user": user.pk}, salt=SALT)
    return approval_page(request, decision, token=token)


def page_decision_from_token(request: HttpRequest, token: str) -> Decision:
    try:
        data = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise ExportError("token_invalid", "导出申请表已失效,请回到原页面重新点击导出。") from None
    if data.get("user") != request.user.pk:
        raise ExportError("token_invalid", "导出申请表已失效,请回到原页面重新点击导出。")
    return page_decision(path=data["path"], query=data["query"], filename=data["filename"], rows=int(data["rows"]))


def replay(request: HttpRequest, export: ExportRequest) -> HttpResponse:
    """Run the page export stored in `export` for its requester (this
    request's user), with the approval attached so that the guard lets it
    through and the workbook carries the request number."""
    path = str(export.params.get("path") or "")
    try:
        match = resolve(path)
    except Resolver404:
        raise ExportError("export_gone", "原导出页面已不存在,请重新申请。") from None
    request.GET = QueryDict(str(export.params.get("query") or ""))
    request.path = request.path_info = path
    request.export_approval = export  # type: ignore[attr-defined]
    return match.func(request, *match.args, **match.kwargs)


def is_file(response: HttpResponse) -> bool:
    return response.status_code == 200 and response.get("Content-Type") == XLSX_CONTENT_TYPE
