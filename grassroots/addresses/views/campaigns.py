"""Campaign pages: the list (and opening one, for the subdistrict), and a
campaign's progress per village and grid (done/total and %), the number
collected per day (a table, and an ECharts chart drawn by
static/addresses/progress.js from a json_script element), the completion
rate, and the subdistrict's sign-off of a batch and closing."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.permissions import current_user, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError

from .. import selectors
from ..forms import CampaignForm
from ..services import campaigns as services
from .common import manage_required, page, places_for_campaigns, view_required


@require_GET
@view_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    campaigns = list(selectors.campaigns_visible_to(user=user).order_by("-opened_at", "-id"))
    return page(
        request,
        "addresses/campaigns.html",
        {"campaigns": campaigns, "can_open": user_can(user, Capability.MANAGE_ADDRESSES)},
    )


@require_http_methods(["GET", "POST"])
@manage_required
def campaign_open(request: HttpRequest) -> HttpResponse:
    """The subdistrict opens a campaign over itself or one village."""
    user = current_user(request)
    places = places_for_campaigns(user)
    if request.method == "POST":
        form = CampaignForm(request.POST, places=places)
        if form.is_valid():
            try:
                campaign = services.campaign_open(
                    actor=user,
                    node=form.places[form.cleaned_data["node"]],
                    title=form.cleaned_data["title"],
                    due_on=form.cleaned_data.get("due_on"),
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, "已开展地址核采,各网格的核采批次已生成。")
                return redirect("addresses:campaign", pk=campaign.pk)
        return page(request, "addresses/campaign_open.html", {"form": form}, status=400)
    return page(request, "addresses/campaign_open.html", {"form": CampaignForm(places=places)})


@require_GET
@view_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    campaign = selectors.campaign_get_visible(user=user, pk=pk)
    progress = selectors.campaign_progress(campaign=campaign, user=user)
    chart = {
        "days": [day.isoformat() for day, _n in progress.daily],
        "counts": [n for _day, n in progress.daily],
        "grids": [g.label for v in progress.villages for g in v.grids],
        "done": [g.done for v in progress.villages for g in v.grids],
        "left": [g.total - g.done for v in progress.villages for g in v.grids],
    }
    return page(
        request,
        "addresses/campaign.html",
        {
            "campaign": campaign,
            "progress": progress,
            "chart": chart,
            "can_manage": user_can(user, Capability.MANAGE_ADDRESSES) and campaign.is_open,
            "can_collect": user_can(user, Capability.COLLECT_ADDRESSES),
        },
    )


@require_POST
@manage_required
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    campaign = selectors.campaign_get_visible(user=user, pk=pk)
    try:
        services.campaign_close(actor=user, campaign=campaign)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, "地址核采已结束。")
    return redirect("addresses:campaign", pk=campaign.pk)


@require_POST
@manage_required
def batch_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    batch = selectors.batch_get_visible(user=user, pk=pk)
    try:
        count = services.batch_sign_off(actor=user, batch=batch)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已审定 {batch.grid.label} 的 {count} 个地址。")
    return redirect("addresses:campaign", pk=batch.campaign_id)
