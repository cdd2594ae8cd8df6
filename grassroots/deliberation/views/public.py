"""Public pages (no login): published rules, topic proposals (rate-limited),
published decisions, the iCalendar feed per village, and the representatives'
personal page reached through the link in their invitation SMS."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

from grassroots.core.errors import DomainError
from grassroots.core.forms import add_domain_error
from grassroots.regions.models import Level, Node
from grassroots.regions.service_area import public_cascade, served_villages, service_area

from .. import forms as f
from .. import selectors
from ..ical import calendar_for
from ..services import agenda


@login_not_required
def public_rules(request: HttpRequest) -> HttpResponse:
    return render(request, "deliberation/public/rules.html", {"rules": selectors.rules_published()[:200]})


@login_not_required
def public_decisions(request: HttpRequest) -> HttpResponse:
    return render(request, "deliberation/public/decisions.html", {"decisions": selectors.published_decisions()[:100]})


@login_not_required
def public_propose(request: HttpRequest) -> HttpResponse:
    # Township → village, served places only (ADR 0021): after a city import
    # one flat list would hold thousands of villages with repeated names.
    area = service_area()
    form = f.ProposalForm(request.POST or None, villages=served_villages(area=area))
    cascade = public_cascade(
        area=area, township=request.POST.get("township", ""), village=request.POST.get("village", "")
    )
    if request.method == "POST":
        if is_ratelimited(request, group="deliberation-propose", key="ip", rate="5/h", increment=True):
            return render(
                request,
                "deliberation/public/propose.html",
                {"form": form, "cascade": cascade, "limited": True},
                status=429,
            )
        if form.is_valid():
            d = form.cleaned_data
            try:
                agenda.proposal_submit(
                    village=d["village"],
                    title=d["title"],
                    description=d["description"],
                    proposer_name=d["proposer_name"],
                    proposer_phone=d["proposer_phone"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "议题建议已提交,村(居)委会审核后将列入议事会议程。")
                return redirect("deliberation:public-propose")
    return render(request, "deliberation/public/propose.html", {"form": form, "cascade": cascade})


@login_not_required
def village_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    village = get_object_or_404(Node, pk=pk, level=Level.VILLAGE)
    body = calendar_for(
        village=village, meetings=list(selectors.upcoming_meetings(village=village)), now=timezone.now()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="deliberation-{village.pk}.ics"'
    return response


@login_not_required
def representative_home(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token)
    rep = invitation.representative if invitation is not None else None
    if rep is None:
        raise Http404("链接无效或已失效。")
    form = None
    rules = selectors.rules_in_force(node=rep.village, on=timezone.localdate())
    if rules is not None and rules.proposers != "staff":
        form = f.ProposalForm(
            request.POST or None,
            villages=selectors.village_only(pk=rep.village_id),
            initial={"village": rep.village_id, "proposer_name": rep.resident.name},
        )
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                agenda.proposal_submit(
                    village=rep.village,
                    title=d["title"],
                    description=d["description"],
                    proposer_name=rep.resident.name,
                    representative=rep,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "议题建议已提交。")
                return redirect("deliberation:rep-home", token=token)
    response = render(
        request,
        "deliberation/public/representative.html",
        {
            "rep": rep,
            "invitations": selectors.representative_invitations(representative=rep),
            "form": form,
            "today": datetime.date.today(),
        },
    )
    # Keep the token out of Referer headers to other sites. Not "no-referrer":
    # with it, browsers post the page's form with "Origin: null", which the
    # CSRF check (rightly) refuses.
    response["Referrer-Policy"] = "same-origin"
    return response
