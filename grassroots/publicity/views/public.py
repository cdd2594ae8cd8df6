"""The public 公示栏 under /notices/ (no login): every village's published
and ended publications with search and filters, one publication with its
progress, a text to copy into WeChat groups and the printable notice, and
the objection (异议) form while the period runs.

Nothing personal is shown: places stop at the village (or the subdistrict
for a subdistrict-wide notice), staff and residents never appear by name,
and an objector's phone number is only stored on the matter. Objections are
rate-limited per IP address and idempotent per form."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from grassroots.core.errors import DomainError
from grassroots.core.forms import add_domain_error
from grassroots.regions.models import Level, Node
from grassroots.regions.service_area import labelled, public_children, public_townships, service_area

from .. import selectors, services, share
from ..forms.public import (
    FilterForm,
    ObjectionForm,
    new_idempotency_key,
    with_idempotency_key,
)
from ..models import Kind, Objection, Publication, State
from ..registry import objection_intake

PER_PAGE = 20
# Per client IP address; a household or a small office shares one.
OBJECTION_RATE = "5/h"
CLOSED_TEXT = "公示期已结束,不再受理异议"
NOT_STARTED_TEXT = "公示期尚未开始,开始后可以提出异议"


@dataclass(frozen=True)
class Row:
    """One publication as a list shows it."""

    publication: Publication
    kind: str
    state: str
    state_label: str
    period: str
    place: str


def _state_label(publication: Publication, today: datetime.date) -> tuple[str, str]:
    """(state, label) as residents see it."""
    shown = services.shown_state(publication, today=today)
    if shown == State.PUBLISHED and publication.starts_on and publication.starts_on > today:
        return "upcoming", "即将公示"
    return str(shown), str(State(shown).label)


def _place_labels(publications: list[Publication]) -> dict[int, str]:
    """Each publication's place: its village, or the subdistrict for a
    subdistrict-wide one (one query for the whole page)."""
    prefixes: set[str] = set()
    for pub in publications:
        path = pub.node.path
        prefixes.update(path[:end] for end in range(Node.steplen, len(path) + 1, Node.steplen))
    nodes = selectors.places_by_path(prefixes)
    labels: dict[int, str] = {}
    for pub in publications:
        path = pub.node.path
        found = [
            nodes[p] for p in (path[:end] for end in range(Node.steplen, len(path) + 1, Node.steplen)) if p in nodes
        ]
        village = next((n for n in found if n.level == Level.VILLAGE), None)
        chosen = village or (found[-1] if found else None)
        labels[pub.pk] = chosen.label if chosen is not None else ""
    return labels


def _place(publication: Publication) -> str:
    village = selectors.village_of(publication.node)
    if village is not None:
        return village.label
    node = publication.node
    if node.level == Level.SUBDISTRICT:
        return node.label
    return ""


def _filter(rows: QuerySet[Publication], filters: dict[str, Any], today: datetime.date) -> QuerySet[Publication]:
    return selectors.public_filter(
        rows,
        today=today,
        query=filters.get("q") or "",
        kind=filters.get("kind") or "",
        status=filters.get("status") or "",
    )


def _page(request: HttpRequest, rows: QuerySet[Publication], today: datetime.date) -> tuple[Page[Any], list[Row]]:
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    publications = list(page.object_list)
    places = _place_labels(publications)
    shown = []
    for pub in publications:
        state, label = _state_label(pub, today)
        shown.append(
            Row(
                publication=pub,
                kind=str(Kind(pub.kind).label),
                state=state,
                state_label=label,
                period=share.period_label(pub),
                place=places.get(pub.pk, ""),
            )
        )
    return page, shown


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "publicity/public/not_found.html", {"message": message}, status=404)


def _chosen_township(request: HttpRequest, townships: list[Node]) -> Node | None:
    """The township asked for in `?township=`, or the only one served."""
    if len(townships) == 1:
        return townships[0]
    raw = request.GET.get("township", "")
    return next((t for t in townships if str(t.pk) == raw), None)


@login_not_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The list of every publication, and the villages as a township → village
    cascade of the places the installation serves (ADR 0021): after a city
    import thousands of villages, many with the same name, would otherwise be
    one flat list."""
    today = timezone.localdate()
    area = service_area()
    townships = public_townships(area=area)
    township = _chosen_township(request, townships)
    villages = labelled(public_children(parent=township, area=area)) if township is not None else []
    form = FilterForm(request.GET or None, villages=[v for v, _label in villages] if township else None)
    filters = form.values() if request.GET else {}
    village = next((v for v, _label in villages if v.pk == filters.get("village")), None)
    rows = _filter(selectors.public_publications(village=village, within=township), filters, today)
    page, shown = _page(request, rows, today)
    return render(
        request,
        "publicity/public/index.html",
        {
            "form": form,
            "filtered": bool(filters),
            "page": page,
            "rows": shown,
            "townships": labelled(townships),
            "township": township,
            "villages": villages,
        },
    )


@login_not_required
@require_GET
def village(request: HttpRequest, village_id: int) -> HttpResponse:
    node = selectors.village_by_id(village_id)
    if node is None:
        return _not_found(request, "未找到该村(社区)。")
    today = timezone.localdate()
    form = FilterForm(request.GET or None)
    filters = form.values() if request.GET else {}
    rows = _filter(selectors.public_publications(village=node), filters, today)
    page, shown = _page(request, rows, today)
    return render(
        request,
        "publicity/public/village.html",
        {
            "village": node,
            "form": form,
            "filtered": bool(filters),
            "page": page,
            "rows": shown,
            "led_url": reverse("notices-board:led", args=[node.pk]),
            "feed_url": reverse("notices-board:feed", args=[node.pk]),
        },
    )


def _detail(
    request: HttpRequest,
    publication: Publication,
    *,
    form: ObjectionForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    state, label = _state_label(publication, today)
    percent, steps = selectors.progress(publication)
    is_open = services.objection_open(publication, today=today)
    if form is None and is_open:
        form = ObjectionForm(
            initial={"idempotency_key": new_idempotency_key()}, places=services.objection_places(publication)
        )
    url = share.public_url(publication)
    village = selectors.village_of(publication.node)
    return render(
        request,
        "publicity/public/detail.html",
        {
            "pub": publication,
            "kind": Kind(publication.kind).label,
            "state": state,
            "state_label": label,
            "period": share.period_label(publication),
            "place": _place(publication),
            "village": village,
            "percent": percent,
            "steps": steps,
            "wechat_text": share.wechat_text(publication, url),
            "pdf_url": reverse("notices-board:notice-pdf", args=[publication.pk]),
            "objection_open": is_open,
            "objection_closed": services.shown_state(publication, today=today) == State.ENDED,
            "form": form if is_open else None,
            "error": error,
        },
        status=status,
    )


@login_not_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.public_get(pk=pk)
    if publication is None:
        withdrawn = selectors.public_withdrawn(pk=pk)
        if withdrawn is not None:
            # A printed notice's QR code or a shared link may still point here:
            # say that it was taken down, when and why (410 Gone), without the content.
            return render(
                request,
                "publicity/public/withdrawn.html",
                {"pub": withdrawn, "kind": Kind(withdrawn.kind).label, "place": _place(withdrawn)},
                status=410,
            )
        return _not_found(request, "未找到该公示,可能已撤回或链接有误。")
    return _detail(request, publication)


def _objection_key(publication: Publication, key: str) -> str:
    return f"notice-objection:{publication.pk}:{key}"


def _done(request: HttpRequest, publication: Publication, objection: Objection) -> HttpResponse:
    matter = objection.matter
    intake = objection_intake()
    return render(
        request,
        "publicity/public/objection_done.html",
        {
            "pub": publication,
            "matter": matter,
            "code": intake.code(matter),
            "status_url": intake.status_url(matter),
        },
    )


@login_not_required
@require_POST
def objection(request: HttpRequest, pk: int) -> HttpResponse:
    publication = selectors.public_get(pk=pk)
    if publication is None:
        return _not_found(request, "未找到该公示,可能已撤回或链接有误。")
    data = with_idempotency_key(request.POST)
    key = _objection_key(publication, str(data["idempotency_key"]))
    # A double submit or a retry after a lost answer: the first objection.
    existing = selectors.objection_by_key(publication=publication, key=key)
    if existing is not None:
        return _done(request, publication, existing)
    if is_ratelimited(request, group="notices.objection", key="ip", rate=OBJECTION_RATE, increment=True):
        return render(
            request,
            "publicity/public/too_many.html",
            {"message": "提交过于频繁,请一小时后再试。", "pub": publication},
            status=429,
        )
    if not services.objection_open(publication):
        ended = services.shown_state(publication) == State.ENDED
        return _detail(request, publication, error=CLOSED_TEXT if ended else NOT_STARTED_TEXT, status=400)
    form = ObjectionForm(data, places=services.objection_places(publication))
    if form.is_valid():
        try:
            made = services.objection_file(
                publication=publication,
                data=services.ObjectionInput(
                    text=form.cleaned_data["text"],
                    phone=form.cleaned_data["phone"],
                    name=form.cleaned_data["name"],
                    village=form.village_node(),
                ),
                idempotency_key=key,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return _done(request, publication, made)
    return _detail(request, publication, form=form, status=400)
