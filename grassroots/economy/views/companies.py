"""A platform company's pages: create it with its first shareholders, read
its shares in force and their history with its distribution plans, and
change its shares from a date (the old rows are closed, not deleted)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.accounts.permissions import current_user
from grassroots.core.forms import submit
from grassroots.core.scoping import user_scope_path
from grassroots.regions.models import Node

from .. import selectors
from ..forms import CompanyForm, SharesForm
from ..services import companies as services
from .common import manage_required, page, today, view_required


def _home(request: HttpRequest) -> Node:
    """The node a company created by this user is anchored at: their own."""
    user = current_user(request)
    assert user.jurisdiction is not None and user_scope_path(user) is not None
    return user.jurisdiction


@require_http_methods(["GET", "POST"])
@manage_required
def company_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = CompanyForm(
        request.POST or None,
        villages=selectors.villages_of(user=user),
        committees=selectors.committees_visible_to(user=user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            request,
            form,
            lambda: services.company_create(
                actor=user,
                name=data["name"],
                node=_home(request),
                founded_on=data["valid_from"],
                holdings=form.holdings(),
                committee=data.get("committee"),
                note=data.get("note") or "",
            ),
            done="平台公司已登记。",
            then=lambda c: redirect("economy:company", pk=c.pk),
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return page(request, "economy/company_form.html", {"form": form, "company": None}, status=status)


@require_GET
@view_required
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    company = selectors.company_get_visible(user=user, pk=pk)
    shares = selectors.company_shares(company=company, day=today())
    return page(
        request,
        "economy/company_detail.html",
        {
            "company": company,
            "shares": shares,
            "history": selectors.company_share_history(company=company),
            "plans": list(selectors.plans_visible_to(user=user).filter(company=company)),
        },
    )


@require_http_methods(["GET", "POST"])
@manage_required
def company_shares(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    company = selectors.company_get_visible(user=user, pk=pk)
    villages = selectors.villages_of(user=user)
    initial = {}
    for row in selectors.company_shares(company=company, day=today()):
        initial[f"share_{row.village_id}"] = row.share
        initial[f"contribution_{row.village_id}"] = row.contribution
    form = SharesForm(request.POST or None, villages=villages, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = submit(
            request,
            form,
            lambda: services.shares_change(
                actor=user, company=company, holdings=form.holdings(), valid_from=form.cleaned_data["valid_from"]
            ),
            done="股权已变更,原股权记录保留。",
            then=lambda _rows: redirect("economy:company", pk=company.pk),
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    return page(request, "economy/company_form.html", {"form": form, "company": company}, status=status)
