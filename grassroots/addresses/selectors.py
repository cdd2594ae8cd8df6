"""Reads of the standard address register, always scoped to the user's
subtree: the register and its search, the verification queues, campaigns
(visible to everyone working inside them) with their batches, and a
campaign's progress per village and grid, per day, and its completion rate."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, overload

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Concat, TruncDate
from django.http import Http404

from grassroots.core.scoping import get_in_scope_or_404, scope_queryset, user_scope_path
from grassroots.core.search import normalize, search_entries, search_matches
from grassroots.regions.models import Level, Node

from .models import Address, AddressEvent, Batch, Campaign
from .services.addresses import SEARCH_TYPE
from .states import COLLECTED_STATES, Action, State

REGISTER_ORDER = ("path", "building", "unit", "room", "id")


def addresses_visible_to(*, user: Any) -> QuerySet[Address]:
    return scope_queryset(Address.objects.select_related("node"), user)


def address_get_visible(*, user: Any, pk: Any) -> Address:
    return get_in_scope_or_404(
        addresses_visible_to(user=user).select_related(
            "batch__campaign", "collected_by", "village_verified_by", "verified_by"
        ),
        user,
        pk=pk,
    )


def search_filter(rows: QuerySet[Address], query: str, *, path_prefix: str | None = None) -> QuerySet[Address]:
    """Addresses whose standard text or division code contains the query,
    through the bigram index (two-character queries work), as a subquery of
    `rows` so the caller's other filters and pagination still apply."""
    query = (query or "").strip()
    if not query:
        return rows
    return rows.filter(pk__in=search_matches(query=query, obj_type=SEARCH_TYPE, path_prefix=path_prefix))


class SearchHits:
    """The addresses matching a search, in register order, read from the
    search index alone (ADR 0037): the count and one page come from
    `SearchEntry` (path, then the normalised standard text, which orders
    building, unit and room within a place like the register does), and only
    the page's addresses are loaded. On 100,000 addresses a two-character
    query matching a sixth of them costs a few milliseconds this way, where
    filtering the register by the matching ids has to collect all of them
    first. Django's Paginator and DRF's pagination take it like a queryset.

    How a page is read depends on the count (which the paginator asks for
    first): up to `SORT_LIMIT` matches are collected through the index and
    sorted (cost grows with the matches: 7,437 in 4 ms); more are read by
    walking the path index in register order until the page is full (cost
    grows with the rows walked past). Left to itself, PostgreSQL walks the
    path index even for a village name: it assumes the matches are spread
    evenly, but a place's addresses sit together in path order, so the walk
    read 86,832 rows to find a page of 西张's 7,437 (21–33 ms)."""

    SORT_LIMIT = 20_000

    def __init__(self, rows: QuerySet[Address], query: str, path_prefix: str | None) -> None:
        self.rows = rows
        self.entries = search_entries(query=query, obj_type=SEARCH_TYPE, path_prefix=path_prefix)
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.entries.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Address]:
        return iter(self[0 : self.count()])

    @overload
    def __getitem__(self, index: int) -> Address: ...

    @overload
    def __getitem__(self, index: slice) -> list[Address]: ...

    def __getitem__(self, index: int | slice) -> Address | list[Address]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        ordered = self.entries.order_by(*self.page_order()).values_list("object_id", flat=True)
        return self._load([int(pk) for pk in ordered[index]])

    def first(self, n: int) -> list[Address]:
        """The first `n` matches in register order without counting them
        (a picker's suggestions): the planner's own way, which for a few
        matches is the bitmap and a sort, for many a walk of the path index
        that stops early."""
        ordered = self.entries.order_by("path", "text", "id").values_list("object_id", flat=True)
        return self._load([int(pk) for pk in ordered[: max(n, 0)]])

    def _load(self, ids: list[int]) -> list[Address]:
        found = {a.pk: a for a in self.rows.filter(pk__in=ids)}
        return [found[pk] for pk in ids if pk in found]

    def page_order(self) -> tuple[Any, ...]:
        """Register order; for a few matches as an expression no index
        provides, so that the database sorts the matches instead of walking
        the path index (the same order either way)."""
        if self.count() <= self.SORT_LIMIT:
            return (Concat("path", Value("")), "text", "id")
        return ("path", "text", "id")


def search_hits(
    rows: QuerySet[Address], query: str, *, path_prefix: str | None = None
) -> QuerySet[Address] | SearchHits:
    """What a list shows for `query`: the index-only `SearchHits` (rows are
    the user's whole register, so the search's path prefix is their scope),
    or all of `rows` without a query."""
    query = (query or "").strip()
    if not query:
        return rows
    return SearchHits(rows, query, path_prefix)


# --- picking an address for a matter (or any other record) --------------------

PICK_LIMIT = 10
PICK_MIN_CHARS = 2
# Matches looked at for verified ones (most of a verified register is verified).
PICK_SCAN = 50


def addresses_pickable_by(*, user: Any) -> QuerySet[Address]:
    """Verified addresses in the user's subtree: what another record (a
    matter, an inspection) may point to."""
    return addresses_visible_to(user=user).filter(state=State.VERIFIED)


def address_is_verified(address: Address) -> bool:
    return address.state == State.VERIFIED


def address_pick_search(*, user: Any, query: str, limit: int = PICK_LIMIT) -> list[Address]:
    """Up to `limit` verified addresses of the user's subtree whose standard
    text contains the query, in register order; nothing for fewer than two
    letters or digits (a picker offers, it does not browse the register).

    Read from the index like the register's search (`SearchHits.first`: the
    first `PICK_SCAN` matches in order, without a count, then only those
    addresses, verified ones kept). Filtering the register by all matching
    ids and sorting them took 0.2–0.4 s for 人民 and 2单元 at 100,000
    addresses (machine load ~10)."""
    if len(normalize(query).replace(" ", "")) < PICK_MIN_CHARS:
        return []
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    hits = SearchHits(addresses_pickable_by(user=user), query, prefix or None)
    return hits.first(PICK_SCAN)[: max(limit, 0)]


def verification_queue(*, user: Any, state: str) -> QuerySet[Address]:
    """What waits for the user's step: collected (village) or village-verified (subdistrict)."""
    return addresses_visible_to(user=user).filter(state=state).select_related("collected_by").order_by("path", "id")


def campaigns_visible_to(*, user: Any) -> QuerySet[Campaign]:
    """Campaigns over the user's place or inside their subtree: a grid worker
    sees the subdistrict's campaign their grid is part of."""
    prefix = user_scope_path(user)
    if prefix is None:
        return Campaign.objects.none()
    if prefix == "":
        return Campaign.objects.all()
    step = Node.steplen
    ancestors = [prefix[:end] for end in range(step, len(prefix) + 1, step)]
    return Campaign.objects.filter(Q(path__startswith=prefix) | Q(path__in=ancestors)).select_related("node")


def campaign_get_visible(*, user: Any, pk: Any) -> Campaign:
    try:
        return campaigns_visible_to(user=user).get(pk=pk)
    except Campaign.DoesNotExist as exc:
        raise Http404("未找到该地址核采,或您无权查看。") from exc


def batches_visible_to(*, user: Any) -> QuerySet[Batch]:
    return scope_queryset(Batch.objects.select_related("campaign", "grid", "worker"), user)


def batch_get_visible(*, user: Any, pk: Any) -> Batch:
    return get_in_scope_or_404(batches_visible_to(user=user), user, pk=pk)


def open_batches_of(*, user: Any) -> list[Batch]:
    """The open campaigns' batches in the user's subtree (a grid worker: their grid's)."""
    return list(batches_visible_to(user=user).filter(campaign__closed_at__isnull=True).order_by("path", "id"))


# --- progress -----------------------------------------------------------------


@dataclass
class Tally:
    label: str
    total: int = 0
    collected: int = 0
    done: int = 0
    doubtful: int = 0
    pk: int | None = None

    @property
    def percent(self) -> float:
        return round(100 * self.done / self.total, 1) if self.total else 0.0

    @property
    def collected_percent(self) -> float:
        return round(100 * self.collected / self.total, 1) if self.total else 0.0


@dataclass
class VillageProgress:
    tally: Tally
    grids: list[Tally] = field(default_factory=list)


@dataclass
class Progress:
    total: Tally
    villages: list[VillageProgress]
    daily: list[tuple[datetime.date, int]]

    @property
    def rate(self) -> float:
        """The completion rate: verified / all addresses of the campaign."""
        return self.total.percent


def campaign_progress(*, campaign: Campaign, user: Any) -> Progress:
    """Done/total per village and grid (only the user's part of the
    campaign), the number collected per day, and the completion rate. Four
    queries, whatever the size of the campaign."""
    batches = list(batches_visible_to(user=user).filter(campaign=campaign).order_by("path"))
    counts = (
        Address.objects.filter(batch__in=[b.pk for b in batches])
        .values("batch_id", "state")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_batch: dict[int, Tally] = {b.pk: Tally(label=b.grid.label, pk=b.pk) for b in batches}
    for row in counts:
        tally = by_batch[row["batch_id"]]
        tally.total += row["n"]
        if row["state"] in COLLECTED_STATES:
            tally.collected += row["n"]
        if row["state"] == State.VERIFIED:
            tally.done += row["n"]
        if row["state"] == State.DOUBTFUL:
            tally.doubtful += row["n"]
    village_paths = sorted({b.path[: 2 * Node.steplen] for b in batches})
    names = {n.path: n.label for n in Node.objects.filter(path__in=village_paths, level=Level.VILLAGE)}
    villages: dict[str, VillageProgress] = {
        p: VillageProgress(tally=Tally(label=names.get(p, ""))) for p in village_paths
    }
    total = Tally(label=campaign.title)
    for batch in batches:
        grid = by_batch[batch.pk]
        village = villages[batch.path[: 2 * Node.steplen]]
        village.grids.append(grid)
        for tally in (village.tally, total):
            tally.total += grid.total
            tally.collected += grid.collected
            tally.done += grid.done
            tally.doubtful += grid.doubtful
    daily_rows = (
        AddressEvent.objects.filter(
            campaign=campaign, action=Action.COLLECT, address__batch__in=[b.pk for b in batches]
        )
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    daily = [(row["day"], row["n"]) for row in daily_rows]
    return Progress(total=total, villages=list(villages.values()), daily=daily)
