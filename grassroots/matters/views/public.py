"""Resident-facing pages (no login): report a matter from a phone, get a
tracking code, follow the matter, rate the result, ask for it to be redone.

Nothing personal is shown here: staff appear by their unit, the reporter
masked; a wrong code answers the same 404 whatever the reason. Submissions
and look-ups are rate-limited per IP address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from grassroots.core.documents import content_disposition, qr_png_data_uri
from grassroots.core.errors import DomainError
from grassroots.core.linked import linked_for_public
from grassroots.core.links import public_url

from .. import selectors
from ..forms.channels import ReportForm, new_idempotency_key, with_idempotency_key
from ..forms.tracking import ContactPreferenceForm, FeedbackForm, PublicConsentForm, ReopenRequestForm
from ..models import Channel, Matter, Urgency
from ..places import PlacePicker
from ..services.contact import matter_reporter_preference, matter_reporter_preference_set
from ..services.feedback import matter_feedback_submit, matter_public_consent_set, matter_reopen_request
from ..services.intake import MatterInput, format_tracking_code, matter_create, parse_tracking_code
from ..states import State
from . import tracking

# Per client IP address. A household or a small office shares one address,
# so the limits leave room for several people.
REPORT_RATE = "10/h"
LOOKUP_RATE = "30/m"
FEEDBACK_RATE = "10/h"
FILE_RATE = "120/m"

TRACKING_CODE_LENGTH = 10
PREFERENCE_LABELS = {"sms": "短信", "wechat": "微信(不发短信)", "none": "不接收"}


def _limited(request: HttpRequest, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=f"matters-public.{group}", key="ip", rate=rate, increment=True)


def _too_many(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "matters/public/too_many.html", {"message": message}, status=429)


def _not_found(request: HttpRequest, code: str = "") -> HttpResponse:
    return render(request, "matters/public/not_found.html", {"code": code[:40]}, status=404)


def _matter_for_code(code: str) -> Matter | None:
    normalised = parse_tracking_code(code)
    if len(normalised) != TRACKING_CODE_LENGTH:
        return None
    return selectors.matter_by_tracking_code(normalised)


def _lookup(request: HttpRequest, code: str, *, group: str, rate: str, too_many: str) -> Matter | HttpResponse:
    """The matter of a tracking code for a public page, or the answer to give
    instead: too many requests from this address, or no such matter."""
    if _limited(request, group, rate):
        return _too_many(request, too_many)
    matter = _matter_for_code(code)
    return _not_found(request, code) if matter is None else matter


# --- Report -----------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = ReportForm(initial={"idempotency_key": new_idempotency_key()})
        picker = PlacePicker({}, root=None)
        return _report_page(request, form, picker)

    form = ReportForm(with_idempotency_key(request.POST), request.FILES)
    picker = PlacePicker(request.POST, root=None)
    key = form.submitted_key()
    # A double submit or a retry after a lost answer: the first matter.
    existing = selectors.matter_by_idempotency_key(f"web:{key}")
    if existing is not None:
        return redirect("matters-public:done", code=existing.tracking_code)
    if _limited(request, "report", REPORT_RATE):
        return _report_page(request, form, picker, status=429, limited=True)
    form_ok = form.is_valid()
    if picker.is_valid() and form_ok:
        data = form.cleaned_data
        try:
            matter, _created = matter_create(
                data=MatterInput(
                    node=picker.node,  # type: ignore[arg-type]
                    title=data["title"],
                    description=data["description"],
                    location=data["location"],
                    channel=Channel.WEB,
                    reporter_name=data["reporter_name"],
                    reporter_phone=data["reporter_phone"],
                    anonymous=data["anonymous"],
                    public_consent=data["public_consent"],
                    urgency=Urgency.NORMAL,
                ),
                files=data["attachments"],
                idempotency_key=f"web:{key}",
            )
        except DomainError as exc:
            picker.take_error(exc, form)
        else:
            return redirect("matters-public:done", code=matter.tracking_code)
    return _report_page(request, form, picker, status=400)


def _report_page(
    request: HttpRequest, form: ReportForm, picker: PlacePicker, *, status: int = 200, limited: bool = False
) -> HttpResponse:
    return render(
        request,
        "matters/public/report.html",
        {
            "form": form,
            "picker": picker,
            "picker_url": reverse("matters-public:places"),
            "limited": limited,
            "files_lost": form.is_bound and bool(request.FILES),
        },
        status=status,
    )


@login_not_required
@require_GET
def places(request: HttpRequest) -> HttpResponse:
    """htmx: the cascading place selects, re-rendered after each choice.
    Only node names and ids: the public tree, no personal data."""
    picker = PlacePicker(request.GET, root=None)
    return render(request, "matters/public/_place_picker.html", {"picker": picker, "picker_url": request.path})


@login_not_required
@require_GET
def done(request: HttpRequest, code: str) -> HttpResponse:
    matter = _lookup(request, code, group="lookup", rate=LOOKUP_RATE, too_many="查询过于频繁,请稍后再试。")
    if isinstance(matter, HttpResponse):
        return matter
    status_url = public_url(reverse("matters-public:status", args=[matter.tracking_code]))
    return render(
        request,
        "matters/public/done.html",
        {
            "matter": matter,
            "code": format_tracking_code(matter.tracking_code),
            "status_url": status_url,
            "qr": qr_png_data_uri(status_url, scale=4),
        },
    )


# --- Tracking ---------------------------------------------------------------------


@login_not_required
@require_GET
def track(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("code", "")
    if "code" not in request.GET:
        return render(request, "matters/public/track.html", {"code": ""})
    code = parse_tracking_code(raw)
    if len(code) != TRACKING_CODE_LENGTH:
        return render(
            request,
            "matters/public/track.html",
            {"code": raw[:40], "error": "查询码是 10 位字母和数字,例如 7K3M-9QX2-PA,请核对后重新输入。"},
            status=400,
        )
    return redirect("matters-public:status", code=code)


@login_not_required
@require_GET
def status(request: HttpRequest, code: str) -> HttpResponse:
    matter = _lookup(request, code, group="lookup", rate=LOOKUP_RATE, too_many="查询过于频繁,请稍后再试。")
    if isinstance(matter, HttpResponse):
        return matter
    if code != matter.tracking_code:
        return redirect("matters-public:status", code=matter.tracking_code)
    return _status_page(request, matter)


def _status_page(
    request: HttpRequest,
    matter: Matter,
    *,
    feedback_form: FeedbackForm | None = None,
    reopen_form: ReopenRequestForm | None = None,
    consent_form: PublicConsentForm | None = None,
    preference_form: ContactPreferenceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    feedback_open = tracking.feedback_open(matter)
    reopen_until = tracking.reopen_until(matter)
    open_request = selectors.reopen_request_open(matter=matter)
    last_answered = selectors.reopen_request_last_answered(matter=matter)
    step = tracking.STEP_INDEX.get(State(matter.state))
    preference = matter_reporter_preference(matter=matter)
    return render(
        request,
        "matters/public/status.html",
        {
            "matter": matter,
            "code": format_tracking_code(matter.tracking_code),
            "place": tracking.place_label(matter),
            "steps": [
                {
                    "label": label,
                    "done": step is not None and (i < step or matter.state == State.CLOSED),
                    "current": step == i,
                }
                for i, (_state, label) in enumerate(tracking.STEPS)
            ],
            "stopped": matter.state in {State.REJECTED, State.MERGED},
            "timeline": tracking.timeline(matter),
            # Coarse progress of linked work (a hazard lead, ADR 0039).
            "linked_progress": linked_for_public(matter),
            "survivor_code": matter.merged_into.tracking_code if matter.merged_into_id and matter.merged_into else "",
            "feedback_form": feedback_form or (FeedbackForm() if feedback_open else None),
            # Not rated yet: the rating comes first (不满意 asks for a reopen itself).
            "reopen_form": reopen_form
            or (
                ReopenRequestForm() if reopen_until is not None and open_request is None and not feedback_open else None
            ),
            "reopen_until": reopen_until,
            "open_request": open_request,
            "last_answered": last_answered,
            "latest_feedback": selectors.feedback_latest(matter=matter),
            "consent_form": consent_form or PublicConsentForm(initial={"public_consent": matter.public_consent}),
            # Only a reporter who left a phone can prove the matter is theirs here.
            "preference_form": preference_form
            or (ContactPreferenceForm(initial={"choice": preference}) if matter.reporter_phone else None),
            "preference_label": PREFERENCE_LABELS.get(preference, "短信(默认)"),
        },
        status=status,
    )


def _resident_post(
    request: HttpRequest,
    code: str,
    form_class: Any,
    submit: Callable[[Matter, dict[str, Any]], Any],
    *,
    done: str,
    form_name: str,
    refused: Callable[[Matter], str | None] = lambda matter: None,
) -> HttpResponse:
    """The tracking page's resident forms (rating, asking for a reopen): rate
    limit, the matter by its code, the form, the service; on success back to
    the tracking page, otherwise the page again with the form's errors (400)."""
    matter = _lookup(request, code, group="feedback", rate=FEEDBACK_RATE, too_many="提交过于频繁,请一小时后再试。")
    if isinstance(matter, HttpResponse):
        return matter
    form = form_class(request.POST)
    reason = refused(matter)
    if reason:
        form.is_valid()
        form.add_error(None, reason)
    elif form.is_valid():
        try:
            submit(matter, form.cleaned_data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, done)
            return redirect("matters-public:status", code=matter.tracking_code)
    matter.refresh_from_db()
    return _status_page(request, matter, status=400, **{form_name: form})


@login_not_required
@require_POST
def feedback(request: HttpRequest, code: str) -> HttpResponse:
    return _resident_post(
        request,
        code,
        FeedbackForm,
        lambda matter, data: matter_feedback_submit(
            matter=matter, rating=data["rating"], comment=data["comment"].strip()
        ),
        done="感谢您的评价!",
        form_name="feedback_form",
        refused=lambda matter: None if tracking.feedback_open(matter) else "这一轮办理已经评价过,或事项尚未办结。",
    )


@login_not_required
@require_POST
def reopen(request: HttpRequest, code: str) -> HttpResponse:
    return _resident_post(
        request,
        code,
        ReopenRequestForm,
        lambda matter, data: matter_reopen_request(matter=matter, reason=data["reason"].strip()),
        done="重新办理申请已提交,工作人员会尽快答复。",
        form_name="reopen_form",
    )


@login_not_required
@require_POST
def publicity_consent(request: HttpRequest, code: str) -> HttpResponse:
    return _resident_post(
        request,
        code,
        PublicConsentForm,
        lambda matter, data: matter_public_consent_set(matter=matter, consent=data["public_consent"]),
        done="公开设置已保存。",
        form_name="consent_form",
    )


@login_not_required
@require_POST
def contact_preference(request: HttpRequest, code: str) -> HttpResponse:
    """The reporter's channel for progress messages (ADR 0056)."""
    return _resident_post(
        request,
        code,
        ContactPreferenceForm,
        lambda matter, data: matter_reporter_preference_set(matter=matter, phone=data["phone"], choice=data["choice"]),
        done="通知方式已保存。",
        form_name="preference_form",
    )


@login_not_required
@require_GET
def attachment(request: HttpRequest, code: str, pk: int) -> HttpResponse | FileResponse:
    """A public attachment (the handling result's photos and documents) of
    the matter with this code; anything else is 404."""
    if _limited(request, "file", FILE_RATE):
        return _too_many(request, "访问过于频繁,请稍后再试。")
    normalised = parse_tracking_code(code)
    found = (
        selectors.public_attachment(tracking_code=normalised, pk=pk)
        if len(normalised) == TRACKING_CODE_LENGTH
        else None
    )
    if found is None:
        raise Http404("未找到该附件。")
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Content-Disposition"] = content_disposition(found.original_name, inline=True)
    response["Cache-Control"] = "private, max-age=3600"
    return response
