"""The hazard pages: the list (state, overdue), a hazard with its loop
(issue the notice, record the rectification with a photo, re-inspect, refer
to enforcement), the 整改通知书 PDF with a QR code to the public status
page, the evidence photo, raising a hazard from a failed item, and the
public status page the QR code opens (no personal data)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import current_user, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.documents import pdf_response, qr_svg
from grassroots.core.errors import DomainError
from grassroots.core.links import public_url
from grassroots.core.masking import mask_phone

from .. import selectors
from ..forms import HazardFilterForm, IssueNoticeForm, RaiseForm, RectifyForm, ReferForm, ReinspectForm
from ..models import Hazard
from ..permissions import can_hazard
from ..services import hazards as services
from ..services import links
from ..states import HazardAction, HazardState
from .common import inspect_required, page, view_required

PER_PAGE = 30
BADGES = {
    HazardState.FOUND: "text-bg-warning",
    HazardState.NOTICE_ISSUED: "text-bg-primary",
    HazardState.RECTIFIED: "text-bg-info",
    HazardState.CLOSED: "text-bg-success",
    HazardState.REFERRED: "text-bg-dark",
}
EVENT_LABELS = {
    "raise": "登记隐患",
    "lead": "由群众反映转为隐患线索",
    "open_matter": "建立事项",
    **dict(services.LABELS),
}


def _overdue(hazard: Hazard) -> bool:
    return bool(
        hazard.state == HazardState.NOTICE_ISSUED and hazard.deadline and hazard.deadline < timezone.localdate()
    )


@require_GET
@view_required
def hazard_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = HazardFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    rows = selectors.hazards_filtered(
        user=user, state=data.get("state") or "", overdue=bool(data.get("overdue")), today=timezone.localdate()
    )
    paged = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    items = [{"hazard": h, "badge": BADGES.get(HazardState(h.state)), "overdue": _overdue(h)} for h in paged]
    filtered = bool(data.get("state") or data.get("overdue"))
    return page(
        request,
        "safety/hazards.html",
        {"form": form, "page": paged, "items": items, "filtered": filtered, "tab": "hazards"},
    )


def _detail(
    request: HttpRequest, hazard: Hazard, forms: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    user = current_user(request)
    state = hazard.state
    allowed = {a: can_hazard(user, a) and services.WORKFLOW.allowed(a, state) for a in HazardAction.values}
    context = {
        "hazard": hazard,
        "badge": BADGES.get(HazardState(state)),
        "overdue": _overdue(hazard),
        "events": [
            {"event": e, "label": EVENT_LABELS.get(e.action, e.action)} for e in selectors.hazard_events(hazard=hazard)
        ],
        "allowed": allowed,
        # A serious hazard opens a matter in one step (ADR 0039).
        "can_open_matter": links.open_matter_offered(user, hazard),
        "can_view_matters": user_can(user, Capability.VIEW_MATTERS),
        "notice_form": IssueNoticeForm(),
        "rectify_form": RectifyForm(),
        "reinspect_form": ReinspectForm(),
        "refer_form": ReferForm(),
        **(forms or {}),
    }
    return page(request, "safety/hazard.html", context, status=status)


@require_GET
@view_required
def hazard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.hazard_get_visible(user=request.user, pk=pk))


def _act(request: HttpRequest, pk: int, name: str, form: Any, call: Callable[[Hazard], Any], done: str) -> HttpResponse:
    hazard = selectors.hazard_get_visible(user=request.user, pk=pk)
    if not form.is_valid():
        return _detail(request, hazard, {name: form}, status=400)
    try:
        call(hazard)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        form.add_domain_error(exc)
        hazard.refresh_from_db()
        return _detail(request, hazard, {name: form}, status=exc.status)
    messages.success(request, done)
    return redirect("safety:hazard", pk=pk)


@require_POST
@inspect_required
def hazard_issue_notice(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    form = IssueNoticeForm(request.POST)
    return _act(
        request,
        pk,
        "notice_form",
        form,
        lambda h: services.hazard_issue_notice(actor=user, hazard=h, days=form.cleaned_data["days"]),
        "整改通知已下达,可打印整改通知书。",
    )


@require_POST
@inspect_required
def hazard_rectify(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    form = RectifyForm(request.POST, request.FILES)
    return _act(
        request,
        pk,
        "rectify_form",
        form,
        lambda h: services.hazard_rectify(
            actor=user, hazard=h, evidence=form.cleaned_data["evidence"], note=form.cleaned_data.get("note") or ""
        ),
        "已登记整改,等待复查。",
    )


@require_POST
@inspect_required
def hazard_reinspect(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    form = ReinspectForm(request.POST)
    return _act(
        request,
        pk,
        "reinspect_form",
        form,
        lambda h: services.hazard_reinspect(
            actor=user,
            hazard=h,
            passed=form.cleaned_data["result"] == "pass",
            note=form.cleaned_data.get("note") or "",
            days=form.cleaned_data.get("days") or 5,
        ),
        "复查结果已记录。",
    )


@require_POST
@view_required
def hazard_refer(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    if not can_hazard(user, HazardAction.REFER):
        raise PermissionDenied("您的角色不能移交执法。")
    form = ReferForm(request.POST)
    return _act(
        request,
        pk,
        "refer_form",
        form,
        lambda h: services.hazard_refer(actor=user, hazard=h, record=form.cleaned_data["record"]),
        "已移交执法。",
    )


@require_POST
@inspect_required
def hazard_raise(request: HttpRequest, pk: int) -> HttpResponse:
    """Raise a hazard from a failed item of inspection `pk`."""
    user = current_user(request)
    inspection = selectors.inspection_get_visible(user=user, pk=pk)
    form = RaiseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择有效的隐患等级。")
        return redirect("safety:inspection", pk=pk)
    try:
        hazard = services.hazard_raise(
            actor=user, inspection=inspection, item_id=form.cleaned_data["item"], level=form.cleaned_data["level"]
        )
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect("safety:inspection", pk=pk)
    messages.success(request, "隐患已登记,请下达整改通知。")
    return redirect("safety:hazard", pk=hazard.pk)


@require_GET
@view_required
def hazard_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """整改通知书 (PDF): the item, the legal basis, the deadline, the
    operator's signature box and a QR code to the public status page."""
    hazard = selectors.hazard_get_visible(user=request.user, pk=pk)
    if not hazard.notice_number:
        raise Http404("尚未下达整改通知。")
    check = public_url(reverse("safety-public:check", args=[hazard.public_code]))
    context = {
        "hazard": hazard,
        "premises": hazard.premises,
        "phone": mask_phone(hazard.premises.operator_phone),
        "qr": qr_svg(check),
        "check_url": check,
        "issued": timezone.localtime(hazard.notice_issued_at) if hazard.notice_issued_at else None,
    }
    return pdf_response(
        filename=f"整改通知书-{hazard.notice_number}.pdf", template_name="safety/notice_pdf.html", context=context
    )


@require_GET
@view_required
def hazard_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = selectors.hazard_get_visible(user=request.user, pk=pk)
    if not hazard.evidence:
        raise Http404("没有整改照片。")
    extension = hazard.evidence.name.rsplit(".", 1)[-1].lower()
    types = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "heic": "image/heic"}
    response = FileResponse(hazard.evidence.open("rb"), content_type=types.get(extension, "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)


@login_not_required
@require_GET
def hazard_check(request: HttpRequest, code: str) -> HttpResponse:
    """Public: the status of one rectification notice (no names, no phone)."""
    hazard = selectors.hazard_public(code=code)
    return render(
        request,
        "safety/public_check.html",
        {"hazard": hazard, "badge": BADGES.get(HazardState(hazard.state)), "overdue": _overdue(hazard)},
    )
