"""The centre's entry pages: the case queue and the registration form, and
the access decorators every mediation page uses (the case page and its
actions are in case.py, the other pages in centre.py). Views
parse input, call one service or selector and render; a `DomainError`
becomes a form error and nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import current_user, deny
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.core.inputs import input_from

from .. import from_matters, permissions, repeats, selectors
from ..forms import case as f
from ..forms import centre as fc
from ..services import cases as case_services

QUEUE_PER_PAGE = 30


def view_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pages of the centre: `MEDIATE` or `MANAGE_MEDIATION` (403 and audited otherwise)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.can_view(request.user):
            raise deny(request, Capability.MEDIATE)
        return view(request, *args, **kwargs)

    return wrapped


def manage_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.can_manage(request.user):
            raise deny(request, Capability.MANAGE_MEDIATION)
        return view(request, *args, **kwargs)

    return wrapped


# --- Queue ---------------------------------------------------------------------------


@require_GET
@view_required
def queue(request: HttpRequest) -> HttpResponse:
    form = fc.QueueFilterForm(request.GET or None, user=request.user)
    cases = selectors.case_queue(user=request.user, filters=form.filters() if form.is_bound else None)
    page = Paginator(cases, QUEUE_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    flags = repeats.repeat_flags(user=request.user, cases=rows)
    leads = selectors.lead_mediators(rows)
    places = selectors.place_labels(c.node for c in rows)
    context = {
        "form": form,
        "page": page,
        "rows": [(c, selectors.due_status(c), flags[c.pk], leads.get(c.pk), places[c.node_id]) for c in rows],
        "can_manage": permissions.can_manage(request.user),
    }
    if getattr(request, "htmx", False):
        return render(request, "mediation/_queue_results.html", context)
    if context["can_manage"]:
        # Referrals waiting for the centre, above the cases (one or two queries).
        pending = from_matters.pending_referrals(user=request.user)
        shown = list(pending[:5])
        context["pending_referrals"] = shown
        context["pending_count"] = pending.count() if len(shown) == 5 else len(shown)
    return render(request, "mediation/queue.html", context)


# --- Registration ----------------------------------------------------------------------


def _party_inputs(formset: Any) -> list[case_services.PartyInput]:
    parties = []
    for form in formset.forms:
        data = form.cleaned_data if form.is_valid() else {}
        if not (data.get("name") or "").strip():
            continue
        parties.append(input_from(case_services.PartyInput, data))
    return parties


@require_http_methods(["GET", "POST"])
@manage_required
def register(request: HttpRequest) -> HttpResponse:
    form = f.CaseForm(request.POST or None, user=request.user)
    formset = f.party_formset(request.POST or None)
    error = ""
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                case = case_services.dispute_register(
                    actor=current_user(request),
                    data=input_from(case_services.CaseInput, data, parties=_party_inputs(formset)),
                )
            except DomainError as exc:
                error = exc.message
                if exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
            else:
                messages.success(request, f"案件已登记,案号 {case.number}。")
                return redirect("mediation:case", pk=case.pk)
        else:
            error = "请按提示修改后再提交。"
    return render(
        request,
        "mediation/register.html",
        {"form": form, "formset": formset, "error": error},
        status=400 if error else 200,
    )
