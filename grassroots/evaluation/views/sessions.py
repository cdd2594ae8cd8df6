"""Staff pages under /evaluation/: session list, detail (items, roster,
freeze, slips, close, results, paper tallies). RUN_APPRAISALS; sessions
outside the user's subtree answer 404. Forms parse input and call one
service; a DomainError becomes a message and nothing changes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.core.documents import PDF_CONTENT_TYPE, content_disposition, qr_svg, render_pdf
from grassroots.core.errors import DomainError
from grassroots.core.links import public_url

from .. import selectors
from ..board import SCALE
from ..models import AppraisalSession, ItemKind, Rating
from ..permissions import CAPABILITY
from ..services import ballots as ballot_services
from ..services import sessions as session_services
from ..states import State

run_required = capability_required(CAPABILITY)


def _guard(view: Callable[..., HttpResponse | None]) -> Callable[..., HttpResponse]:
    """POST actions on a session: DomainError → message, redirect to the detail."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        session = selectors.session_get_visible(user=request.user, pk=pk)
        try:
            response = view(request, session, *args, **kwargs)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("evaluation:detail", pk=session.pk)
        return response or redirect("evaluation:detail", pk=session.pk)

    return wrapped


@require_GET
@run_required
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = selectors.sessions_visible_to(user=request.user)[:200]
    default_month = session_services.previous_month(timezone.localdate())
    return render(
        request,
        "evaluation/list.html",
        {
            "sessions": sessions,
            "villages": selectors.villages_visible_to(user=request.user),
            "default_month": default_month,
        },
    )


@require_POST
@run_required
def session_new(request: HttpRequest) -> HttpResponse:
    village = selectors.village_visible(user=request.user, pk=request.POST.get("village") or 0)
    try:
        month = datetime.date.fromisoformat(f"{request.POST.get('month', '')}-01")
    except ValueError:
        month = None
    if village is None or month is None:
        messages.error(request, "请选择村/社区和月份。")
        return redirect("evaluation:list")
    try:
        session, created = session_services.session_create(village=village, month=month, actor=current_user(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("evaluation:list")
    if not created:
        messages.info(request, "该村/社区该月的评议已存在。")
    return redirect("evaluation:detail", pk=session.pk)


@require_GET
@run_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_get_visible(user=request.user, pk=pk)
    items = selectors.session_items(session=session)
    context: dict[str, Any] = {
        "session": session,
        "staff_items": [i for i in items if i.kind == ItemKind.STAFF],
        "matter_items": [i for i in items if i.kind == ItemKind.MATTER],
        "roster": selectors.session_roster(session=session),
        "State": State,
        "scale": [(value, Rating(value).label) for value in SCALE],
        "slip_count": ballot_services.slip_count(session.roster.count()),
        "min_ballots": ballot_services.MIN_BALLOTS_PER_PERSON,
        "paper": session_services.paper_tally_status(session=session),
        "events": selectors.session_events(session=session),
    }
    if session.state != State.DRAFT:
        context["code_counts"] = selectors.code_counts(session=session)
    if session.state == State.CLOSED:
        context["results"] = ballot_services.results_build(session=session)
        context["verify"] = ballot_services.session_verify(session=session)
    return render(request, "evaluation/detail.html", context)


@require_POST
@run_required
@_guard
def session_refresh(request: HttpRequest, session: AppraisalSession) -> None:
    added = session_services.session_refresh_items(session=session)
    added_reps = session_services.session_refresh_roster(session=session)
    messages.success(request, f"已补充 {added} 个评议对象、{added_reps} 名代表。")


@require_POST
@run_required
@_guard
def item_remove(request: HttpRequest, session: AppraisalSession, item_id: int) -> None:
    session_services.item_remove(session=session, item_id=item_id, actor=current_user(request))
    messages.success(request, "已移除评议对象。")


@require_POST
@run_required
@_guard
def roster_remove(request: HttpRequest, session: AppraisalSession, entry_id: int) -> None:
    session_services.roster_remove(session=session, entry_id=entry_id, actor=current_user(request))
    messages.success(request, "已从名册移除。")


@require_POST
@run_required
@_guard
def session_freeze(request: HttpRequest, session: AppraisalSession) -> None:
    session_services.session_freeze(session=session, actor=current_user(request))
    messages.success(request, "评议已冻结,请打印选票。")


def slips_pdf(session: AppraisalSession, codes: list[str]) -> bytes:
    base = public_url(reverse("ballot:vote", args=[session.pk]))
    slips = [
        # The code travels in the URL fragment, which browsers never send to
        # the server: it cannot end up in an access log (ADR 0014).
        {"code": ballot_services.format_code(code), "qr": qr_svg(f"{base}#{code}", scale=3)}
        for code in codes
    ]
    return render_pdf(
        template_name="evaluation/slips_pdf.html",
        context={"session": session, "slips": slips, "vote_url": base, "scale": [Rating(v).label for v in SCALE]},
    )


@require_POST
@run_required
def slips_print(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate the codes and answer the PDF: the only place they exist in
    plain text. Nothing is stored but keyed hashes; the response is not cached."""
    session = selectors.session_get_visible(user=request.user, pk=pk)
    try:
        codes = ballot_services.slips_issue(session=session, actor=current_user(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("evaluation:detail", pk=session.pk)
    response = HttpResponse(slips_pdf(session, codes), content_type=PDF_CONTENT_TYPE)
    del codes
    response["Content-Disposition"] = content_disposition(f"评议选票-{session.pk}-{session.slips_batch}.pdf")
    response["Cache-Control"] = "no-store"
    return response


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


@require_POST
@run_required
@_guard
def session_close(request: HttpRequest, session: AppraisalSession) -> None:
    attendance = _int(request.POST.get("attendance"))
    if attendance is None:
        raise DomainError("bad_attendance", "请填写到会人数(非负整数)。")
    void_codes = [line for line in request.POST.get("void_codes", "").split() if line.strip()]
    closed = ballot_services.session_close(
        session=session, attendance=attendance, void_codes=void_codes, actor=current_user(request)
    )
    if closed.reconciliation.get("flagged"):
        messages.warning(request, "投票已结束,但核对有异常:" + ";".join(closed.reconciliation["problems"]))
    else:
        messages.success(request, "投票已结束,核对无误,公示板已发布。")


@require_POST
@run_required
@_guard
def paper_tally(request: HttpRequest, session: AppraisalSession) -> None:
    counts: dict[str, dict[str, int]] = {}
    for item in session.items.all():
        row = {}
        for rating in SCALE:
            value = _int(request.POST.get(f"c_{item.pk}_{rating}")) if request.POST.get(f"c_{item.pk}_{rating}") else 0
            if value is None:
                raise DomainError("bad_count", "票数须为非负整数。")
            row[rating] = value
        counts[str(item.pk)] = row
    ballots = _int(request.POST.get("ballots"))
    if ballots is None:
        raise DomainError("bad_count", "请填写纸质票数。")
    session_services.paper_tally_enter(
        session=session,
        actor=current_user(request),
        counts=counts,
        ballots=ballots,
        reason=request.POST.get("reason", ""),
    )
    messages.success(request, "纸质计票已录入。")
