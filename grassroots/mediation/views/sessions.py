"""The case page's other forms: a session's record and cancellation (through
the same panel as the case actions), a party's audited reveal and the
agreement PDF."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import current_user, deny
from grassroots.accounts.roles import Capability
from grassroots.core.documents import PDF_CONTENT_TYPE, content_disposition
from grassroots.core.errors import NotFound as DomainNotFound
from grassroots.core.errors import PermissionDenied as DomainPermissionDenied
from grassroots.core.errors import TooManyRequests

from .. import permissions, selectors
from ..forms import case as f
from ..models import Session
from ..personal_data import agreement_pdf, party_reveal
from ..services import sessions as session_services
from .case import PAGE
from .queue import view_required


def _session(request: HttpRequest, pk: int) -> Session:
    if not permissions.can_view(request.user):
        raise deny(request, Capability.MEDIATE)
    return selectors.session_in_scope(user=request.user, pk=pk)


@require_POST
def session_record(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = f.SessionRecordForm(request.POST, session=session)
    return PAGE.run(
        request,
        session.case,
        f"record-{session.pk}",
        form,
        lambda: session_services.session_record(
            actor=current_user(request),
            session=session,
            notes=form.cleaned_data["notes"],
            parties_present=list(form.cleaned_data["parties_present"]),
            staff_present=list(form.cleaned_data["staff_present"]) or None,
            other_attendees=form.cleaned_data["other_attendees"],
        ),
        "调解记录已保存。",
    )


@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = f.SessionCancelForm(request.POST, session=session)
    return PAGE.run(
        request,
        session.case,
        f"cancel-{session.pk}",
        form,
        lambda: session_services.session_cancel(
            actor=current_user(request), session=session, reason=form.cleaned_data["reason"]
        ),
        "该次调解已取消。",
    )


@require_POST
@view_required
def party_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    party = selectors.party_in_scope(user=request.user, pk=pk)
    reason = request.POST.get("reason", "").strip()[:200]
    if not reason:
        return render(request, "mediation/_reveal.html", {"error": "请填写查看事由。", "party": party})
    try:
        values = party_reveal(actor=request.user, party=party, reason=reason)
    except (DomainPermissionDenied, TooManyRequests) as exc:
        return render(request, "mediation/_reveal.html", {"error": exc.message, "party": party})
    return render(request, "mediation/_reveal.html", {"values": values, "party": party})


@require_GET
@view_required
def agreement_download(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_visible(user=request.user, pk=pk)
    try:
        pdf, _full = agreement_pdf(actor=request.user, case=case)
    except DomainNotFound as exc:
        raise Http404(exc.message) from exc
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(f"人民调解协议书-{case.number}.pdf")
    return response
