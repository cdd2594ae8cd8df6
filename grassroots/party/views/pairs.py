"""Pages of 结对帮扶: the pairs of the subtree (or a member's own pairs), a
new member–household pair, and a pair's page where its member or party staff
record a visit or a piece of help on a phone."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.permissions import current_user, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.forms import submit
from grassroots.regions.selectors import residents_visible_to

from .. import selectors
from ..forms import PairForm, VisitForm
from ..models import Pair
from ..services import pairs as services
from .common import manage_required, member_or_view_required, page

PER_PAGE = 30


@require_GET
@member_or_view_required
def pair_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if user_can(user, Capability.VIEW_PARTY):
        rows = selectors.pairs_visible_to(user=user)
    else:
        member = selectors.membership_of(user=user)
        rows = selectors.pairs_of_member(member=member) if member else Pair.objects.none()
    paged = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return page(request, "party/pairs.html", {"page": paged, "tab": "pairs"})


@require_http_methods(["GET", "POST"])
@manage_required
def pair_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    members = list(selectors.members_visible_to(user=user)[:500])
    form = PairForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = next(m for m in members if str(m.pk) == data["member"])
        found = list(residents_visible_to(user=user, node=member.branch.node, query=data["household"])[:2])
        if len(found) != 1:
            form.add_error(
                "household",
                "没有找到这户居民,请输入户主姓名或身份证号。" if not found else "找到多名同名居民,请输入身份证号。",
            )
        else:
            answer = submit(
                request,
                form,
                lambda: services.pair_household(
                    actor=user,
                    member=member,
                    household=found[0].household,
                    difficulty=data["difficulty"],
                    started_on=data["started_on"],
                ),
                done="结对已登记。",
                then=lambda pair: redirect("party:pair", pk=pair.pk),
            )
            if answer:
                return answer
    return page(
        request,
        "party/form.html",
        {"form": form, "title": "登记结对帮扶", "tab": "pairs"},
        status=400 if request.method == "POST" else 200,
    )


def _pair(request: HttpRequest, pk: int) -> Pair:
    user = current_user(request)
    member = selectors.membership_of(user=user)
    if not user_can(user, Capability.VIEW_PARTY) and member is None:
        raise Http404("未找到该对象,或您无权查看。")
    return selectors.pair_get(user=user, pk=pk, member=member)


def _page(request: HttpRequest, pair: Pair, form: VisitForm | None = None, status: int = 200) -> HttpResponse:
    return page(
        request,
        "party/pair.html",
        {
            "pair": pair,
            "member_name": pair.member.masked_name if pair.member else "",
            "visits": selectors.pair_visits(pair=pair),
            "form": form or VisitForm(initial={"visited_on": datetime.date.today()}),
            "tab": "pairs",
        },
        status=status,
    )


@require_GET
@member_or_view_required
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _pair(request, pk))


@require_POST
@member_or_view_required
def pair_visit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    pair = _pair(request, pk)
    form = VisitForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        answer = submit(
            request,
            form,
            lambda: services.pair_visit_record(
                actor=user,
                pair=pair,
                kind=data["kind"],
                visited_on=data["visited_on"],
                note=data["note"],
                recorder_member=selectors.membership_of(user=user),
            ),
            done="帮扶记录已保存。",
            then=lambda _visit: redirect("party:pair", pk=pair.pk),
        )
        if answer:
            return answer
    return _page(request, pair, form, status=400)
