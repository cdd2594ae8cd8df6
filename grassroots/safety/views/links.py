"""Hazards and matters linked both ways (ADR 0039): the page that turns a
resident's 安全隐患 matter into a hazard lead, and the one-step action that
opens a matter for a serious hazard."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.matters.models import Matter
from grassroots.matters.selectors import matter_get_visible

from .. import selectors
from ..forms.links import NEW_PREMISES, LeadForm
from ..models import RiskLevel
from ..services import links as services
from ..services.premises import PremisesInput
from .common import inspect_required, page

matters_required = capability_required(Capability.VIEW_MATTERS)


def _new_premises(form: LeadForm, matter: Matter) -> PremisesInput | None:
    if form.cleaned_data["premises"] != NEW_PREMISES:
        return None
    data = form.cleaned_data
    node = services.lead_node(matter)
    address = (
        matter.address if matter.address_id and matter.address and matter.address.path.startswith(node.path) else None
    )
    return PremisesInput(
        name=data.get("new_name") or "",
        kind=data.get("new_kind") or "",
        risk_level=RiskLevel.GENERAL,
        node=node,
        operator_name=data.get("new_operator_name") or "",
        operator_phone=data.get("new_operator_phone") or "",
        address=address,
        location=data.get("new_location") or "",
    )


def _raise(exc: DomainError) -> None:
    if exc.status == 404:
        raise Http404(exc.message) from exc
    if exc.status == 403:
        raise PermissionDenied(exc.message) from exc


@require_http_methods(["GET", "POST"])
@inspect_required
@matters_required
def matter_lead(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form; POST: the hazard lead, then its page."""
    user = current_user(request)
    matter = matter_get_visible(user=user, pk=pk)
    choices = selectors.lead_premises(user=user, village_path=services.village_path(matter.path))
    initial = {"description": matter.title, "new_location": matter.location}
    if not choices:
        initial["premises"] = NEW_PREMISES
    form = LeadForm(request.POST if request.method == "POST" else None, choices=choices, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = services.LeadInput(
                description=form.cleaned_data["description"],
                level=form.cleaned_data["level"],
                legal_basis=form.cleaned_data.get("legal_basis") or "",
                premises=form.picked,
                new_premises=_new_premises(form, matter),
            )
            try:
                hazard = services.hazard_from_matter(actor=user, matter=matter, data=data)
            except DomainError as exc:
                _raise(exc)
                form.add_domain_error(exc)
                status = exc.status
            else:
                messages.success(request, "已转为安全隐患线索,请核查后下达整改通知。")
                return redirect("safety:hazard", pk=hazard.pk)
        else:
            status = 400
    context = {
        "matter": matter,
        "form": form,
        "allowed": services.lead_allowed(matter),
        "new_value": NEW_PREMISES,
    }
    return page(request, "safety/lead.html", context, status=status)


@require_POST
@inspect_required
def hazard_open_matter(request: HttpRequest, pk: int) -> HttpResponse:
    """One step: the matter of a serious hazard (the existing one on a second click)."""
    user = current_user(request)
    hazard = selectors.hazard_get_visible(user=user, pk=pk)
    try:
        matter, created = services.hazard_open_matter(actor=user, hazard=hazard)
    except DomainError as exc:
        _raise(exc)
        messages.error(request, exc.message)
        return redirect("safety:hazard", pk=pk)
    if created:
        messages.success(request, f"已建立事项 {matter.number},等待受理。")
    else:
        messages.info(request, f"该隐患已有关联事项 {matter.number}。")
    return redirect("safety:hazard", pk=pk)
