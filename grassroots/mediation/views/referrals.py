"""Referrals (转介) on pages: a grid worker or village staff member refers a
matter from its page; the centre sees the pending referrals, reads the
matter's facts and accepts (a case is registered) or returns them with a
reason. Also the original matter's attachments for a case's team, who
cannot open the matters pages."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability
from grassroots.core.documents import content_disposition
from grassroots.core.errors import DomainError
from grassroots.core.forms import add_domain_error, submit
from grassroots.core.inputs import input_from

from .. import from_matters, selectors
from ..forms import centre as fc
from ..models import DisputeReferral
from ..services import referrals
from ..states import ReferralState
from .queue import manage_required, view_required

REFERRALS_PER_PAGE = 30
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"})


@require_http_methods(["GET", "POST"])
@capability_required(Capability.REFER_DISPUTES)
def refer(request: HttpRequest, matter_pk: int) -> HttpResponse:
    """转调解: the form on a phone, from the matter page."""
    matter = from_matters.matter_in_scope(user=request.user, pk=from_matters.parse_pk(matter_pk))
    blocker = referrals.referral_blocker(matter)
    form = fc.ReferralForm(request.POST or None)
    status = 200
    if request.method == "POST" and blocker is None:
        if form.is_valid():
            answer = submit(
                request,
                form,
                lambda: referrals.referral_create(
                    actor=current_user(request),
                    matter=matter,
                    data=input_from(referrals.ReferralInput, form.cleaned_data),
                ),
                done="已转介至一站式矛盾纠纷调解中心,调解中心接收或退回后会通知您。",
                then=lambda _referral: redirect("matters:detail", pk=matter.pk),
            )
            if answer is not None:
                return answer
        status = 400
    elif request.method == "POST":
        status = blocker.status if blocker is not None else 400
    return render(
        request,
        "mediation/refer.html",
        {"matter": matter, "form": form, "blocker": blocker, "place": from_matters.matter_facts(matter=matter).place},
        status=status,
    )


@require_GET
@manage_required
def referral_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in ReferralState.values:
        state = ""
    rows = from_matters.referrals_visible_to(user=request.user, state=state)
    page = Paginator(rows, REFERRALS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "mediation/referrals.html",
        {"page": page, "state": state, "states": ReferralState.choices},
    )


def _detail(
    request: HttpRequest,
    referral: DisputeReferral,
    *,
    accept_form: fc.ReferralAcceptForm | None = None,
    return_form: fc.ReferralReturnForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    item = referral
    return render(
        request,
        "mediation/referral.html",
        {
            "referral": item,
            "facts": from_matters.matter_facts(matter=item.matter, referral=item),
            "accept_form": accept_form
            or fc.ReferralAcceptForm(
                initial={
                    "dispute_type": item.dispute_type,
                    "risk_level": "low",
                    "escalation_risk": item.escalation_risk,
                }
            ),
            "return_form": return_form or fc.ReferralReturnForm(),
            "pending": item.state == ReferralState.PENDING,
            "error": error,
        },
        status=status,
    )


@require_GET
@manage_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, from_matters.referral_get_visible(user=request.user, pk=pk))


@require_POST
@manage_required
def referral_accept(request: HttpRequest, pk: int) -> HttpResponse:
    referral = from_matters.referral_get_visible(user=request.user, pk=pk)
    form = fc.ReferralAcceptForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, accept_form=form, error="请按提示修改后再提交。", status=400)
    try:
        case = referrals.referral_accept(
            actor=current_user(request),
            referral=referral,
            dispute_type=form.cleaned_data["dispute_type"],
            risk_level=form.cleaned_data["risk_level"],
            escalation_risk=form.cleaned_data["escalation_risk"],
        )
    except DomainError as exc:
        referral.refresh_from_db()
        return _detail(request, referral, accept_form=form, error=exc.message, status=exc.status)
    messages.success(request, f"已接收转介,案号 {case.number}。请核对当事人后受理。")
    return redirect("mediation:case", pk=case.pk)


@require_POST
@manage_required
def referral_return(request: HttpRequest, pk: int) -> HttpResponse:
    referral = from_matters.referral_get_visible(user=request.user, pk=pk)
    form = fc.ReferralReturnForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, return_form=form, error="请写明退回理由。", status=400)
    try:
        referrals.referral_return(actor=current_user(request), referral=referral, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        referral.refresh_from_db()
        add_domain_error(form, exc)
        return _detail(request, referral, return_form=form, error=exc.message, status=exc.status)
    messages.success(request, "已退回转介,转介人会收到退回理由。")
    return redirect("mediation:referrals")


@require_GET
@view_required
def case_matter_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """An attachment of a case's original matter, for whoever may see the case."""
    case = selectors.case_get_visible(user=request.user, pk=from_matters.parse_pk(pk))
    item = from_matters.case_attachment(case=case, pk=attachment_pk)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = content_disposition(item.original_name, inline=item.content_type in INLINE_TYPES)
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)
