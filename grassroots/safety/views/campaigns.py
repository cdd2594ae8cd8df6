"""Sweep campaigns (打非治违): the list, opening one (village staff and the
subdistrict), and a campaign's coverage per village and grid with the
premises still to inspect."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import current_user, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.forms import submit
from grassroots.core.inputs import input_from
from grassroots.core.scoping import user_scope_path
from grassroots.regions.models import Level, Node

from .. import selectors
from ..forms import CampaignForm
from ..models import PremisesKind
from ..services import campaigns as services
from ..services.campaigns import CampaignInput
from .common import manage_required, page, view_required

KIND_LABELS = dict(PremisesKind.choices)


def _places(user: object) -> list[Node]:
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    return list(
        Node.objects.filter(path__startswith=prefix, level__in=(Level.SUBDISTRICT, Level.VILLAGE)).order_by("path")
    )


@require_GET
@view_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    rows = selectors.campaigns_visible_to(user=user).order_by("-starts_on", "-id")
    return page(
        request,
        "safety/campaigns.html",
        {"campaigns": rows, "can_open": user_can(user, Capability.MANAGE_SAFETY), "tab": "campaigns"},
    )


@require_http_methods(["GET", "POST"])
@manage_required
def campaign_open(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = CampaignForm(request.POST or None, places=_places(user))
    if request.method == "POST" and form.is_valid():
        data = input_from(CampaignInput, form.cleaned_data, node=form.places[form.cleaned_data["node"]])
        done = submit(
            request,
            form,
            lambda: services.campaign_open(actor=user, data=data),
            done="专项检查已开展。",
            then=lambda campaign: redirect("safety:campaign", pk=campaign.pk),
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return page(request, "safety/campaign_open.html", {"form": form, "tab": "campaigns"}, status=status)


@require_GET
@view_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    campaign = selectors.campaign_get_visible(user=user, pk=pk)
    total, villages, todo = selectors.campaign_coverage(campaign=campaign, user=user)
    kinds = "、".join(str(KIND_LABELS.get(k, k)) for k in campaign.kinds) or "全部类型"
    return page(
        request,
        "safety/campaign.html",
        {"campaign": campaign, "total": total, "villages": villages, "todo": todo, "kinds": kinds, "tab": "campaigns"},
    )
