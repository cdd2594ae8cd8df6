"""Applicant pages (/socialorg/apply/…, /socialorg/track/<code>/), no login:
apply online, upload materials per requirement, sign the commitment, submit,
correct after a return, follow the case and download its notices.

The tracking code (12 characters, 60 bits) is the applicant's key; a wrong
code answers the same 404 whatever the reason. Staff appear by their role
only. Writes and look-ups are rate-limited per IP address. Phone-first, with
the 大字 (large type) toggle of registration/largetype.js."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from grassroots.core.errors import DomainError
from grassroots.core.workdays import CalendarNotCovered

from .. import permissions
from ..forms import applications as f
from ..models import Application, Commitment, Service, ServiceKind
from ..selectors.applications import application_by_code, application_checklist
from ..services import applications as services
from ..services import commitments
from ..services.clock import application_clock
from ..services.workflow import acting_as_agent, format_tracking_code, parse_tracking_code
from ..states import State
from .applications import acceptance_response, commitment_response, material_response, return_notice_response

CREATE_RATE = "10/h"
WRITE_RATE = "60/h"
LOOKUP_RATE = "30/m"
FILE_RATE = "120/m"

STEPS = [
    (State.DRAFT, "填写申请"),
    (State.SUBMITTED, "初审"),
    (State.ACCEPTED, "受理审查"),
    (State.APPROVED, "决定"),
    (State.ISSUED, "发证"),
]
STEP_INDEX = {
    State.DRAFT: 0,
    State.RETURNED: 0,
    State.SUBMITTED: 1,
    State.ACCEPTED: 2,
    State.SUSPENDED: 2,
    State.APPROVED: 3,
    State.REFUSED: 3,
    State.WITHDRAWN: 0,
    State.VOIDED: 1,
    State.ISSUED: 4,
}
# What the applicant reads about the state.
STATE_HELP = {
    State.DRAFT: "请按材料清单逐项上传材料,全部上传后点击“提交申请”。",
    State.SUBMITTED: "窗口正在初审,将在5个工作日内告知结果。",
    State.RETURNED: "材料需要补正:请按补正告知书逐项补充或更换材料,然后点击“补正后重新提交”。",
    State.ACCEPTED: "申请已受理,正在审查。",
    State.SUSPENDED: "因听证、专家评审等依法中止计时,所需时间不计入办理期限。",
    State.APPROVED: "已准予登记。",
    State.REFUSED: "经审查不予登记,理由见下方办理记录。",
    State.ISSUED: "登记证书已制发,可以下载或到窗口领取。",
    State.WITHDRAWN: "申请已撤回。",
    State.VOIDED: "申请已由登记窗口作废,理由见下方办理记录。如有疑问请联系登记窗口。",
}


def _state_help(application: Application) -> str:
    if application.state == State.ISSUED and application.service.no_visit:
        # 不见面审批: the new certificate travels by EMS, free of charge.
        if application.outbound_tracking:
            return f"新证书已通过 EMS 免费寄出,运单号 {application.outbound_tracking},请注意查收。"
        return "新证书已制发,窗口将通过 EMS 免费寄出,寄出后会短信告知运单号。"
    return STATE_HELP.get(State(application.state), "")


def _limited(request: HttpRequest, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=f"registration-apply.{group}", key="ip", rate=rate, increment=True)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/public/applications/too_many.html", status=429)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/public/applications/not_found.html", status=404)


def _by_code(request: HttpRequest, code: str) -> Application | None:
    return application_by_code(code)


# --- Apply ----------------------------------------------------------------------


@login_not_required
@require_GET
def apply(request: HttpRequest) -> HttpResponse:
    services_online = Service.objects.filter(online=True, kind=ServiceKind.ESTABLISH).order_by("sort_order", "code")
    return render(request, "registration/public/applications/apply.html", {"services": services_online})


@login_not_required
@require_http_methods(["GET", "POST"])
def apply_form(request: HttpRequest, service: str) -> HttpResponse:
    chosen = Service.objects.filter(code=service, online=True, kind=ServiceKind.ESTABLISH).first()
    if chosen is None:
        return _not_found(request)
    form = f.ApplicationForm(request.POST or None, service=chosen, public=True, initial=request.GET or None)
    status = 200
    if request.method == "POST":
        if _limited(request, "create", CREATE_RATE):
            return _too_many(request)
        if form.is_valid():
            try:
                application = services.application_create(service=chosen, data=form.to_input())
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request,
                    f"申请已保存。您的查询码是 {format_tracking_code(application.tracking_code)},请抄下或截图保存,"
                    "凭它随时回来上传材料、查看进度。",
                )
                return redirect("registration-public:app-track", code=application.tracking_code)
        status = 400
    return render(
        request,
        "registration/public/applications/form.html",
        {"form": form, "service": chosen, "application": None, "section": "apply"},
        status=status,
    )


# --- Track ----------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def track_lookup(request: HttpRequest) -> HttpResponse:
    code = (request.POST.get("code") or request.GET.get("code") or "").strip()
    if code:
        if _limited(request, "lookup", LOOKUP_RATE):
            return _too_many(request)
        normalised = parse_tracking_code(code)
        if application_by_code(normalised) is not None:
            return redirect("registration-public:app-track", code=normalised)
        return render(
            request,
            "registration/public/applications/track_lookup.html",
            {"code": code[:40], "error": "没有找到这个查询码,请核对后重新输入。", "section": "track"},
            status=404,
        )
    return render(request, "registration/public/applications/track_lookup.html", {"section": "track"})


def track_context(
    request: HttpRequest,
    application: Application,
    *,
    failed: str = "",
    form: Any = None,
    error: str = "",
) -> dict[str, Any]:
    application = application_by_code(application.tracking_code) or application
    checklist = application_checklist(application)
    actions = permissions.public_actions(application)
    agent = acting_as_agent(application, actor=None, on_behalf_of="")
    upload_form = f.UploadForm(checklist=checklist, agent=agent, prefix="upload")
    sign_form = f.SignForm(prefix="commitment_sign")
    withdraw_form = f.WithdrawForm(prefix="withdraw")
    submit_form = f.SubmitForm(missing=[item.name for item in checklist.problems])
    if failed == "upload" and form is not None:
        upload_form = form
    elif failed == "commitment-sign" and form is not None:
        sign_form = form
    elif failed in ("submit", "resubmit") and form is not None:
        submit_form = form
    try:
        clock = application_clock(application)
        clock_error = ""
    except CalendarNotCovered as exc:
        clock, clock_error = None, exc.message
    step = STEP_INDEX.get(State(application.state), 0)
    return {
        "application": application,
        "tracking_code": format_tracking_code(application.tracking_code),
        "checklist": checklist,
        "commitment": checklist.commitment,
        "actions": actions,
        "agent": agent,
        "upload_form": upload_form,
        "sign_form": sign_form,
        "withdraw_form": withdraw_form,
        "submit_form": submit_form,
        "clock": clock,
        "clock_error": clock_error,
        "steps": [(label, index < step, index == step) for index, (_state, label) in enumerate(STEPS)],
        "state_help": _state_help(application),
        "return_notices": list(application.return_notices.all()),
        "timeline": [event for event in application.events.all() if event.public],
        "has_certificate": application.state == State.ISSUED,
        "open_action": failed,
        "error": error,
        "section": "track",
        "verify_days": commitments.COMMITMENT_VERIFY_DAYS,
    }


@login_not_required
@require_GET
def track(request: HttpRequest, code: str) -> HttpResponse:
    if _limited(request, "lookup", LOOKUP_RATE):
        return _too_many(request)
    application = _by_code(request, code)
    if application is None:
        return _not_found(request)
    return render(request, "registration/public/applications/track.html", track_context(request, application))


@login_not_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, code: str) -> HttpResponse:
    application = _by_code(request, code)
    if application is None:
        return _not_found(request)
    if not permissions.state_allows(application, "edit"):
        messages.error(request, "申请已提交,正在审查,暂不能修改。")
        return redirect("registration-public:app-track", code=application.tracking_code)
    form = f.ApplicationForm(
        request.POST or None, service=application.service, public=True, initial=f.initial_from_application(application)
    )
    if request.method == "POST":
        if _limited(request, "write", WRITE_RATE):
            return _too_many(request)
        if form.is_valid():
            try:
                services.application_update(application=application, data=form.to_input())
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "申请表已修改。")
                return redirect("registration-public:app-track", code=application.tracking_code)
    return render(
        request,
        "registration/public/applications/form.html",
        {"form": form, "service": application.service, "application": application, "section": "track"},
        status=400 if request.method == "POST" else 200,
    )


def _commitment(application: Application) -> Commitment:
    commitment = Commitment.objects.filter(application=application).first()
    if commitment is None:
        raise DomainError("commitment_missing", "请先生成告知承诺书。")
    return commitment


DONE = {
    "upload": "材料已上传。",
    "commitment-create": "告知承诺书已生成:请下载打印,签字后拍照上传。",
    "commitment-sign": "已上传签字的告知承诺书。",
    "submit": "申请已提交,窗口将在5个工作日内完成初审并短信告知。",
    "resubmit": "已重新提交,窗口将在5个工作日内完成初审。",
    "withdraw": "申请已撤回。",
}


@login_not_required
@require_POST
def act(request: HttpRequest, code: str, name: str) -> HttpResponse:
    if name not in DONE:
        raise Http404
    application = _by_code(request, code)
    if application is None:
        return _not_found(request)
    if _limited(request, "write", WRITE_RATE):
        return _too_many(request)
    checklist = application_checklist(application)
    agent = acting_as_agent(application, actor=None, on_behalf_of="")
    form: Any
    if name == "upload":
        form = f.UploadForm(request.POST, request.FILES, checklist=checklist, agent=agent, prefix="upload")
    elif name == "commitment-sign":
        form = f.SignForm(request.POST, request.FILES, prefix="commitment_sign")
    elif name == "withdraw":
        form = f.WithdrawForm(request.POST, prefix="withdraw")
    elif name in ("submit", "resubmit"):
        form = f.SubmitForm(request.POST, missing=[item.name for item in checklist.problems])
    else:
        form = f.ConfirmForm(request.POST)
    if not permissions.state_allows(application, name):
        return _page(
            request, application, status=409, error=f"申请当前为“{application.get_state_display()}”,不能进行此操作。"
        )
    if not form.is_valid():
        return _page(request, application, status=400, failed=name, form=form, error="请按提示修改后再提交。")
    try:
        if name == "upload":
            requirement, extra_kind = form.destination()
            services.material_upload(
                application=application,
                requirement=requirement,
                extra_kind=extra_kind,
                file=form.cleaned_data["file"],
                authorisation_letter=form.cleaned_data.get("authorisation_letter"),
            )
        elif name == "commitment-create":
            commitments.commitment_create(actor=None, application=application)
        elif name == "commitment-sign":
            commitments.commitment_sign(
                actor=None,
                commitment=_commitment(application),
                signed_copy_file=form.cleaned_data["signed_copy"],
            )
        elif name == "submit":
            services.application_submit(
                application=application,
                confirm_incomplete=form.cleaned_data.get("confirm_incomplete", False),
            )
        elif name == "resubmit":
            services.application_resubmit(
                application=application,
                confirm_incomplete=form.cleaned_data.get("confirm_incomplete", False),
            )
        else:
            services.application_withdraw(application=application, reason=form.cleaned_data.get("reason", ""))
    except DomainError as exc:
        form.add_domain_error(exc)
        return _page(request, application, status=exc.status, failed=name, form=form, error=exc.message)
    messages.success(request, DONE[name])
    return redirect(reverse("registration-public:app-track", kwargs={"code": application.tracking_code}) + "#status")


def _page(request: HttpRequest, application: Application, *, status: int, **context: Any) -> HttpResponse:
    return render(
        request,
        "registration/public/applications/track.html",
        track_context(request, application, **context),
        status=status,
    )


# --- Files ----------------------------------------------------------------------


def _file(request: HttpRequest, code: str, respond: Callable[[Application], HttpResponse | None]) -> HttpResponse:
    """A file of the application `code` names (rate-limited per IP): what
    `respond` answers, or 404 where there is no such application or file."""
    if _limited(request, "file", FILE_RATE):
        return _too_many(request)
    application = _by_code(request, code)
    answer = respond(application) if application is not None else None
    return answer if answer is not None else _not_found(request)


@login_not_required
@require_GET
def material_file(request: HttpRequest, code: str, material_pk: int) -> HttpResponse:
    def respond(application: Application) -> HttpResponse | None:
        material = next((m for m in application.materials.all() if m.pk == material_pk), None)
        return material_response(material) if material is not None else None

    return _file(request, code, respond)


@login_not_required
@require_GET
def return_notice_pdf(request: HttpRequest, code: str, notice_pk: int) -> HttpResponse:
    def respond(application: Application) -> HttpResponse | None:
        notice = next((n for n in application.return_notices.all() if n.pk == notice_pk), None)
        return return_notice_response(notice) if notice is not None else None

    return _file(request, code, respond)


@login_not_required
@require_GET
def acceptance_pdf(request: HttpRequest, code: str) -> HttpResponse:
    return _file(request, code, lambda application: acceptance_response(application) if application.number else None)


@login_not_required
@require_GET
def commitment_pdf(request: HttpRequest, code: str) -> HttpResponse:
    def respond(application: Application) -> HttpResponse | None:
        if not Commitment.objects.filter(application=application).exists():
            return None
        return commitment_response(application)

    return _file(request, code, respond)
