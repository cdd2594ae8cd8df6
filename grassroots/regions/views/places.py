"""Public place choices (no login): the villages of a township, for the
township → village cascades of public forms (ADR 0021). Only names and ids
of the public tree, and only places the installation serves."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..service_area import public_cascade, service_area


@login_not_required
@require_GET
def public_villages(request: HttpRequest) -> HttpResponse:
    """htmx: the village select of the chosen township."""
    cascade = public_cascade(area=service_area(), township=request.GET.get("township", ""))
    return render(request, "regions/_public_village_select.html", {"cascade": cascade})
