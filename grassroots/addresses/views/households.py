"""Households still without a standard address (MANAGE_ADDRESSES): the list
of those the text match could not link, and a button to run the match again
(after an import or a correction)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from grassroots.accounts.permissions import current_user
from grassroots.core.scoping import scope_queryset
from grassroots.regions.models import Household

from ..services.linking import households_link, households_unlinked
from .common import manage_required, page

PER_PAGE = 50


@require_GET
@manage_required
def household_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    paged = Paginator(households_unlinked(user=user), PER_PAGE).get_page(request.GET.get("page"))
    return page(request, "addresses/households.html", {"page": paged, "households": list(paged.object_list)})


@require_POST
@manage_required
def household_link(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    report = households_link(actor=user, households=scope_queryset(Household.objects.all(), user))
    messages.success(request, f"已关联 {report.linked} 户;仍有 {len(report.unlinked)} 户未能关联。")
    return redirect("addresses:households")
