"""The units of a project (the rows behind every dashboard figure), a
unit's page with its stage actions, the dispute handed to the mediation
centre and the audited reveal, and the worker's phone page (my units, the
next stage one tap away). The head's name, phone and ID number are shown
masked; units outside the user's subtree answer 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import current_user
from grassroots.core.errors import DomainError

from .. import selectors
from ..forms import HandoverForm, RevealForm, StageForm, UnitFilterForm
from ..models import Unit
from ..permissions import can_reveal, can_work_unit
from ..selectors import progress
from ..services.personal_data import unit_reveal
from ..services.units import StageInput, unit_advance, unit_hand_over
from ..services.workflow import WORKFLOW
from ..states import STAGES, Action, State
from .common import page, unit_row, view_required, work_required

PER_PAGE = 30


@require_GET
@view_required
def unit_list(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    project = selectors.project_get_visible(user=user, pk=pk)
    form = UnitFilterForm(request.GET)
    form.is_valid()  # invalid fields are shown with their errors and ignored
    rows = selectors.units_filtered(user=user, project=project, **form.values())
    # One aggregate gives the drill-down's own figures and the paginator's count.
    counts = progress.counts(rows)
    paginator = Paginator(rows, PER_PAGE)
    paginator.__dict__["count"] = counts.total
    paged = paginator.get_page(request.GET.get("page"))
    filtered = any(v not in (None, "") for v in form.values().values())
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "project": project,
        "form": form,
        "page": paged,
        "items": [unit_row(u) for u in paged.object_list],
        "filtered": filtered,
        "counts": counts,
        "query": query.urlencode(),
    }
    return page(request, "relocation/units.html", context)


def next_action(unit: Unit) -> str | None:
    actions = WORKFLOW.table.actions_from(unit.state)
    return actions[0] if actions else None


def _detail(
    request: HttpRequest,
    unit: Unit,
    *,
    stage_form: StageForm | None = None,
    handover_form: HandoverForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    action = next_action(unit)
    context = {
        **unit_row(unit, personal=True),
        "events": selectors.unit_events(unit=unit),
        "next_action": action,
        "next_label": Action(action).label if action else "",
        "can_work": can_work_unit(user, unit) and action is not None,
        "stage_form": stage_form or StageForm(action=action or ""),
        "can_hand_over": can_work_unit(user, unit) and unit.dispute_id is None,
        "handover_form": handover_form or HandoverForm(),
        "can_reveal": can_reveal(user, unit),
        "reveal_form": RevealForm(),
        "stages": _stage_dates(unit),
    }
    return page(request, "relocation/unit.html", context, status=status)


def _stage_dates(unit: Unit) -> list[dict[str, Any]]:
    return [{"label": State(state).label, "on": getattr(unit, field)} for state, field in STAGES]


@require_GET
@view_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.unit_get_visible(user=request.user, pk=pk))


def _refuse(exc: DomainError) -> None:
    if exc.status == 404:
        raise Http404(exc.message) from exc
    if exc.status == 403:
        raise PermissionDenied(exc.message) from exc


def _back(request: HttpRequest, unit: Unit) -> HttpResponse:
    """Back where the action was taken: the worker's phone page, or the unit's page."""
    if request.POST.get("next") == "mine":
        return redirect(reverse("relocation:mine") + f"#unit-{unit.pk}")
    return redirect("relocation:unit", pk=unit.pk)


def unit_stage(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = current_user(request)
    unit = selectors.unit_get_visible(user=user, pk=pk)
    form = StageForm(request.POST, action=action)
    if not form.is_valid():
        return _detail(request, unit, stage_form=form, status=400)
    data = StageInput(
        on=form.cleaned_data.get("on"), amount=form.cleaned_data.get("amount"), note=form.cleaned_data["note"]
    )
    try:
        unit_advance(actor=user, unit=unit, action=action, data=data)
    except DomainError as exc:
        _refuse(exc)
        form.add_domain_error(exc)
        unit.refresh_from_db()
        if request.POST.get("next") == "mine":
            messages.error(request, exc.message)
            return redirect(reverse("relocation:mine") + f"#unit-{unit.pk}")
        return _detail(request, unit, stage_form=form, status=exc.status)
    messages.success(request, f"{unit.number}:已办理“{Action(action).label}”。")
    return _back(request, unit)


def stage_view(action: str) -> Any:
    @require_POST
    @work_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return unit_stage(request, pk, action)

    view.__name__ = f"unit_{action}"
    return view


@require_POST
@work_required
def unit_handover(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    unit = selectors.unit_get_visible(user=user, pk=pk)
    form = HandoverForm(request.POST)
    if not form.is_valid():
        return _detail(request, unit, handover_form=form, status=400)
    try:
        unit_hand_over(actor=user, unit=unit, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        _refuse(exc)
        form.add_domain_error(exc)
        unit.refresh_from_db()
        return _detail(request, unit, handover_form=form, status=exc.status)
    messages.success(request, "已转交一站式矛盾纠纷调解中心,调解进度见本页。")
    return redirect("relocation:unit", pk=unit.pk)


@require_POST
@view_required
def unit_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get_visible(user=request.user, pk=pk)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return render(request, "relocation/_reveal.html", {"error": "请填写查看事由。"}, status=400)
    try:
        values = unit_reveal(actor=request.user, unit=unit, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        return render(request, "relocation/_reveal.html", {"error": exc.message}, status=exc.status)
    return render(request, "relocation/_reveal.html", {"values": values})


@require_GET
@work_required
def my_units(request: HttpRequest) -> HttpResponse:
    """The worker's phone page: their units still in progress, each with the next stage."""
    user = current_user(request)
    rows = selectors.workers_units(user=user).exclude(state=State.COMPENSATED)
    paged = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    items = []
    for unit in paged.object_list:
        action = next_action(unit)
        items.append(
            {
                **unit_row(unit),
                "action": action,
                "label": Action(action).label if action else "",
                "form": StageForm(action=action or "", auto_id=f"u{unit.pk}_%s"),
            }
        )
    return page(request, "relocation/mine.html", {"page": paged, "items": items})
