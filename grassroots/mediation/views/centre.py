"""The centre's other pages: 1+1+N teams and workloads, three-source
statistics, a mediator's own cases and sessions, a legal adviser's grids and
consultations, and the transfer of a matter into the centre."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import capability_required, current_user, deny
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.core.forms import add_domain_error, submit

from .. import from_matters, permissions, repeats, selectors
from ..forms import centre as fc
from ..services import cases as case_services
from ..services import consultations, teams
from ..stats import dispute_stats
from .queue import manage_required, view_required

CONSULTATIONS_PER_PAGE = 30


@require_http_methods(["GET", "POST"])
@view_required
def team_overview(request: HttpRequest) -> HttpResponse:
    """Committees, each grid's legal adviser, and everybody's workload."""
    user = request.user
    can_manage = permissions.can_manage(user)
    committee_form = fc.CommitteeForm(user=user)
    adviser_form = fc.GridAdviserForm(user=user, advisers=selectors.advisers_for(user=user))
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise deny(request, Capability.MANAGE_MEDIATION)
        kind = request.POST.get("form")
        try:
            if kind == "committee":
                committee_form = fc.CommitteeForm(request.POST, user=user)
                if committee_form.is_valid():
                    teams.committee_create(
                        actor=current_user(request),
                        name=committee_form.cleaned_data["name"],
                        node=committee_form.cleaned_data["node"],
                    )
                    messages.success(request, "调委会已设立。")
                    return redirect("mediation:teams")
            elif kind == "adviser":
                adviser_form = fc.GridAdviserForm(request.POST, user=user, advisers=selectors.advisers_for(user=user))
                if adviser_form.is_valid():
                    teams.grid_adviser_assign(
                        actor=current_user(request),
                        grid=adviser_form.cleaned_data["grid"],
                        adviser=adviser_form.cleaned_data["adviser"],
                    )
                    messages.success(request, "网格法律顾问已指派。")
                    return redirect("mediation:teams")
        except DomainError as exc:
            target = committee_form if kind == "committee" else adviser_form
            add_domain_error(target, exc)
        status = 400
    assignments = list(selectors.grid_advisers_visible_to(user=user))
    villages = selectors.village_labels({a.path for a in assignments})
    grids = selectors.grids_visible_to(user=user)
    return render(
        request,
        "mediation/teams.html",
        {
            "committees": selectors.committees_visible_to(user=user),
            "assignments": [(a, villages.get(a.path[: selectors.VILLAGE_PREFIX], "")) for a in assignments],
            "grids_total": grids.count(),
            "workloads": selectors.workloads(user=user),
            "committee_form": committee_form,
            "adviser_form": adviser_form,
            "can_manage": can_manage,
        },
        status=status,
    )


@require_GET
@manage_required
def statistics(request: HttpRequest) -> HttpResponse:
    start, end = fc.StatsForm(request.GET or None).period()
    form = fc.StatsForm(initial={"start": start, "end": end})  # shows the period actually counted
    stats = dispute_stats(user=request.user, start=start, end=end)
    places = selectors.place_labels(p.node for p in stats.repeat_places)
    return render(
        request,
        "mediation/stats.html",
        {
            "form": form,
            "stats": stats,
            "chart": stats.chart_data(),
            "repeat_places": [(p, places[p.node.pk]) for p in stats.repeat_places],
        },
    )


@require_GET
@view_required
def my_work(request: HttpRequest) -> HttpResponse:
    """A mediator's or legal adviser's own cases and coming sessions."""
    cases = list(selectors.my_cases(user=request.user)[:100])
    flags = repeats.repeat_flags(user=request.user, cases=cases)
    places = selectors.place_labels(c.node for c in cases)
    return render(
        request,
        "mediation/mine.html",
        {
            "rows": [(c, selectors.due_status(c), flags[c.pk], places[c.node_id]) for c in cases],
            "sessions": list(selectors.my_sessions(user=request.user)[:50]),
            "grids": selectors.adviser_grids(user=request.user) if permissions.can_consult(request.user) else [],
        },
    )


@require_http_methods(["GET", "POST"])
@capability_required(Capability.LEGAL_CONSULT)
def adviser_grids(request: HttpRequest) -> HttpResponse:
    """A legal adviser's grids and their consultation log, with the form to log one."""
    user = request.user
    assignments = selectors.adviser_grids(user=user)
    grid_ids = [a.grid_id for a in assignments]
    grids = selectors.nodes_by_ids(grid_ids)
    form = fc.ConsultationForm(request.POST or None, grids=grids)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            answer = submit(
                request,
                form,
                lambda: consultations.consultation_log(actor=current_user(request), **form.cleaned_data),
                done="法律咨询已登记。",
                then=lambda _consultation: redirect("mediation:grids"),
            )
            if answer is not None:
                return answer
        status = 400
    counts = selectors.consultation_counts(grid_paths=[a.path for a in assignments])
    recent = list(selectors.consultations_visible_to(user=user, own=True)[:10])
    villages = selectors.village_labels({a.path for a in assignments} | {c.path for c in recent})
    return render(
        request,
        "mediation/grids.html",
        {
            "assignments": [
                (a, villages.get(a.path[: selectors.VILLAGE_PREFIX], ""), counts.get(a.path, 0)) for a in assignments
            ],
            "form": form,
            "recent": [(c, villages.get(c.path[: selectors.VILLAGE_PREFIX], "")) for c in recent],
        },
        status=status,
    )


@require_GET
def consultation_log(request: HttpRequest) -> HttpResponse:
    """The consultation log: a legal adviser sees their own, the centre everybody's in scope."""
    user = request.user
    if not (permissions.can_consult(user) or permissions.can_manage(user)):
        raise deny(request, Capability.LEGAL_CONSULT)
    grid = None
    grid_id = request.GET.get("grid", "").strip()
    if grid_id:
        if not grid_id.isdigit():
            return render(request, "mediation/consultations.html", {"error": "网格编号无效。"}, status=400)
        grid = selectors.node_in_scope(user=user, pk=int(grid_id))
    own = not permissions.can_manage(user)
    rows = selectors.consultations_visible_to(user=user, grid=grid, own=own)
    page = Paginator(rows, CONSULTATIONS_PER_PAGE).get_page(request.GET.get("page"))
    villages = selectors.village_labels({c.path for c in page.object_list})
    return render(
        request,
        "mediation/consultations.html",
        {
            "page": page,
            "rows": [(c, villages.get(c.path[: selectors.VILLAGE_PREFIX], "")) for c in page.object_list],
            "grid": grid,
            "own": own,
        },
    )


@require_http_methods(["GET", "POST"])
@manage_required
def transfer(request: HttpRequest, matter_pk: int) -> HttpResponse:
    """Confirm taking over a matter as a dispute case (linked from the matter page)."""
    matter = from_matters.matter_in_scope(user=request.user, pk=matter_pk)
    existing = from_matters.case_from_matter(matter=matter)
    form = fc.TransferForm(request.POST or None, initial={"dispute_type": "neighbour", "risk_level": "low"})
    status = 200
    if request.method == "POST" and existing is None:
        if form.is_valid():
            try:
                case = case_services.dispute_from_matter(
                    actor=current_user(request),
                    matter=matter,
                    dispute_type=form.cleaned_data["dispute_type"],
                    risk_level=form.cleaned_data["risk_level"],
                    escalation_risk=form.cleaned_data["escalation_risk"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已转入调解中心,案号 {case.number}。")
                return redirect("mediation:case", pk=case.pk)
        status = 400
    return render(
        request, "mediation/transfer.html", {"matter": matter, "existing": existing, "form": form}, status=status
    )
