"""The indicator definitions: the list (VIEW_INDICATORS) and the add and
edit form (MANAGE_INDICATORS: the subdistrict's economic-management station)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError

from ..forms import DefinitionForm
from ..models import Indicator
from ..services.definitions import DefinitionInput, indicator_create, indicator_update
from .common import view_required

manage_required = capability_required(Capability.MANAGE_INDICATORS)


@require_GET
@view_required
def definitions(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return render(
        request,
        "indicators/definitions.html",
        {
            "indicators": list(Indicator.objects.order_by("order", "id")),
            "can_manage": user.can(Capability.MANAGE_INDICATORS),
        },
    )


def _input(form: DefinitionForm) -> DefinitionInput:
    data: dict[str, Any] = form.cleaned_data
    return DefinitionInput(
        name=data.get("name") or "",
        unit=data.get("unit") or "",
        scope=data.get("scope") or "",
        kind=data.get("kind") or "",
        department=data.get("department") or "",
        order=data.get("order") or 0,
        active=bool(data.get("active")),
    )


def _form_page(request: HttpRequest, indicator: Indicator | None) -> HttpResponse:
    user = current_user(request)
    if request.method == "POST":
        form = DefinitionForm(request.POST)
        if form.is_valid():
            try:
                if indicator is None:
                    saved = indicator_create(actor=user, data=_input(form))
                else:
                    saved = indicator_update(actor=user, indicator=indicator, data=_input(form))
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, f"已保存指标“{saved.name}”。")
                return redirect("indicators:definitions")
        return render(request, "indicators/definition_form.html", {"form": form, "indicator": indicator}, status=400)
    initial = (
        {
            "name": indicator.name,
            "unit": indicator.unit,
            "scope": indicator.scope,
            "kind": indicator.kind,
            "department": indicator.department,
            "order": indicator.order,
            "active": indicator.active,
        }
        if indicator
        else None
    )
    return render(
        request, "indicators/definition_form.html", {"form": DefinitionForm(initial=initial), "indicator": indicator}
    )


@require_http_methods(["GET", "POST"])
@manage_required
def definition_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
@manage_required
def definition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, get_object_or_404(Indicator, pk=pk))
