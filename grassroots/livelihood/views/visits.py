"""Visits on a phone: record a visit to a resident on a care list, look at
it, and turn the opinion collected into a 说事 matter in one step; the
visits of the subtree; health rounds (健康巡诊) and recording one."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grassroots.accounts.permissions import current_user
from grassroots.core.forms import submit
from grassroots.core.scoping import user_scope_path
from grassroots.regions.models import Level, Node, Resident
from grassroots.regions.presentation import resident_masked

from .. import selectors
from ..forms import HealthRoundForm, ToMatterForm, VisitForm
from ..models import ListKind, VisitKind
from ..services import visits as services
from .common import list_kind, page, record_required, view_required

PER_PAGE = 30
# The visit a list suggests: a birthday visit for the birthday list, a gift for children.
DEFAULT_KIND: dict[str, str] = {ListKind.BIRTHDAY: VisitKind.BIRTHDAY, ListKind.CHILDREN: VisitKind.GIFT}


@require_http_methods(["GET", "POST"])
@record_required
def visit_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = current_user(request)
    kind = list_kind(kind)
    resident = selectors.resident_get_visible(user=user, pk=pk)
    initial = {"kind": DEFAULT_KIND.get(kind, VisitKind.CARE), "visited_on": timezone.localdate()}
    form = VisitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            request,
            form,
            lambda: services.visit_record(
                actor=user,
                resident=resident,
                list_kind=kind,
                kind=data["kind"],
                visited_on=data["visited_on"],
                note=data["note"],
                opinion=data["opinion"],
            ),
            done="走访已登记。",
            then=lambda visit: redirect("livelihood:visit", pk=visit.pk),
            aliases=VisitForm.field_aliases,
        )
        if done is not None:
            return done
    grid = selectors.grid_of(resident.path)
    return page(
        request,
        "livelihood/visit_form.html",
        {
            "form": form,
            "person": resident_masked(resident),
            "kind": kind,
            "kind_label": ListKind(kind).label,
            "grid": grid,
            "tab": "lists",
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@view_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get_visible(user=current_user(request), pk=pk)
    return page(
        request,
        "livelihood/visit.html",
        {
            "visit": visit,
            "person": resident_masked(visit.resident),
            "grid": selectors.grid_of(visit.path),
            "form": ToMatterForm(initial={"title": visit.opinion.splitlines()[0][:30] if visit.opinion else ""}),
            "tab": "visits",
        },
    )


@require_POST
@record_required
def visit_to_matter(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    visit = selectors.visit_get_visible(user=user, pk=pk)
    form = ToMatterForm(request.POST)
    if form.is_valid():
        done = submit(
            request,
            form,
            lambda: services.visit_to_matter(actor=user, visit=visit, title=form.cleaned_data["title"]),
            done="已转为说事事项。",
            then=lambda _matter: redirect("livelihood:visit", pk=visit.pk),
        )
        if done is not None:
            return done
    visit.refresh_from_db()
    return page(
        request,
        "livelihood/visit.html",
        {
            "visit": visit,
            "person": resident_masked(visit.resident),
            "grid": selectors.grid_of(visit.path),
            "form": form,
            "tab": "visits",
        },
        status=400,
    )


@require_GET
@view_required
def visit_list(request: HttpRequest) -> HttpResponse:
    visits = selectors.visits_visible_to(user=current_user(request)).order_by("-visited_on", "-id")
    page_obj = Paginator(visits, PER_PAGE).get_page(request.GET.get("page"))
    rows = [(v, resident_masked(v.resident)) for v in page_obj.object_list]
    return page(request, "livelihood/visits.html", {"page": page_obj, "rows": rows, "tab": "visits"})


def _places(user: object) -> list[Node]:
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    return list(Node.objects.filter(path__startswith=prefix, level__in=(Level.VILLAGE, Level.GRID)).order_by("path"))


@require_GET
@view_required
def health_round_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.health_rounds_visible_to(user=current_user(request)).order_by("-held_on", "-id")
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return page(request, "livelihood/health_rounds.html", {"page": page_obj, "tab": "rounds"})


def _round_place(request: HttpRequest, places: list[Node]) -> Node | None:
    """The place whose residents the form lists: the one posted, asked for
    (?node=) or the only one the user has."""
    wanted = request.POST.get("node") or request.GET.get("node")
    if wanted is None and len(places) == 1:
        return places[0]
    return next((n for n in places if str(n.pk) == wanted), None)


@require_http_methods(["GET", "POST"])
@record_required
def health_round_new(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    places = _places(user)
    place = _round_place(request, places)
    seen = selectors.residents_at(user=user, node=place) if place is not None else []
    initial = {"held_on": timezone.localdate(), "node": place.pk if place else None}
    form = HealthRoundForm(request.POST or None, places=places, seen=seen, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        picked = set(data["residents"])
        residents = list(Resident.objects.filter(pk__in=picked))
        done = submit(
            request,
            form,
            lambda: services.health_round_record(
                actor=user,
                node=form.places[data["node"]],
                place=data["place"],
                held_on=data["held_on"],
                served=data["served"],
                residents=residents,
                note=data["note"],
            ),
            done="健康巡诊已登记。",
            then=lambda _round: redirect("livelihood:health-rounds"),
        )
        if done is not None:
            return done
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "places": places, "place": place, "seen": seen, "tab": "rounds"}
    return page(request, "livelihood/health_round_form.html", context, status=status)
