"""Reads of the region tree, always through jurisdiction scoping: a node,
resident or count outside the user's subtree does not exist for them (404).

Counts are rollups by materialised-path prefix: every household, resident and
representative row carries a copy of its node's path, so "everything under
child X" is ``path LIKE 'X%'`` and counts for all children of a node come from
one grouped query per table (``GROUP BY substr(path, 1, len(child.path))``),
whatever the number of children."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from grassroots.core.fields import BlindIndexField
from grassroots.core.scoping import path_in_scope, scope_queryset, user_scope_path

from .models import Household, Level, Node, Representative, Resident

ELDERLY_AGE = 70

NOT_FOUND = "未找到该对象,或您无权查看。"


@dataclass
class NodeCounts:
    """Rollup of one subtree. `node` is None for an unrestricted summary
    (a superuser without a jurisdiction)."""

    node: Node | None
    villages: int = 0
    grids: int = 0
    buildings: int = 0
    units: int = 0
    households: int = 0
    residents: int = 0
    aged_70_plus: int = 0
    representatives: int = 0

    LABELS = (
        ("villages", "村/社区"),
        ("grids", "网格"),
        ("buildings", "楼栋"),
        ("units", "单元"),
        ("households", "户"),
        ("residents", "居民"),
        ("aged_70_plus", "70 岁以上老人"),
        ("representatives", "群众代表"),
    )

    @property
    def counts(self) -> NodeCounts:
        """Lets a template treat a row as ``row.node`` / ``row.counts``."""
        return self

    def items(self) -> list[tuple[str, int]]:
        """(Chinese label, value) pairs for pages; levels at or above the
        node itself are left out (a grid has no villages under it)."""
        own_level = self.node.level if self.node is not None else 0
        level_of = {"villages": Level.VILLAGE, "grids": Level.GRID, "buildings": Level.BUILDING, "units": Level.UNIT}
        return [(label, getattr(self, name)) for name, label in self.LABELS if level_of.get(name, 99) > own_level]

    items_for_display = items

    def __iter__(self) -> Iterator[tuple[str, int]]:
        """``dict(counts)`` gives {Chinese label: value}."""
        return iter(self.items())


def elderly_cutoff(as_of: datetime.date | None = None, age: int = ELDERLY_AGE) -> datetime.date:
    """The latest birth date of someone aged `age` or more on `as_of`."""
    as_of = as_of or timezone.localdate()
    try:
        return as_of.replace(year=as_of.year - age)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - age, day=28)


def _active_representatives() -> QuerySet[Representative]:
    today = timezone.localdate()
    return Representative.objects.filter(Q(until__isnull=True) | Q(until__gte=today), since__lte=today)


def _level_field(level: int) -> str:
    return {
        Level.VILLAGE: "villages",
        Level.GRID: "grids",
        Level.BUILDING: "buildings",
        Level.UNIT: "units",
    }.get(Level(level), "")


# --- Nodes -----------------------------------------------------------------


def node_list_visible_to(*, user: Any) -> QuerySet[Node]:
    return scope_queryset(Node.objects.all(), user).order_by("path")


def node_get_visible(*, user: Any, node_id: int) -> Node:
    try:
        return node_list_visible_to(user=user).get(pk=node_id)
    except (Node.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc


def _require_visible(user: Any, node: Node) -> None:
    if not path_in_scope(node.path, user):
        raise Http404(NOT_FOUND)


def ancestors_visible_to(*, user: Any, node: Node) -> list[Node]:
    """Breadcrumbs: the node's ancestors (root first, the node itself
    excluded) that lie inside the user's scope."""
    _require_visible(user, node)
    prefix = user_scope_path(user) or ""
    paths = [node.path[: depth * Node.steplen] for depth in range(1, node.depth)]
    paths = [p for p in paths if p.startswith(prefix)]
    if not paths:
        return []
    return list(Node.objects.filter(path__in=paths).order_by("depth"))


def _rollup(prefix_len: int, base: Q, *, as_of: datetime.date | None) -> dict[str, dict[str, int]]:
    """Counts grouped by ``path[:prefix_len]`` for rows whose path matches
    `base`: four queries (nodes, households, residents, representatives),
    however many groups come back. Nodes are counted only below the group
    level, so a village is not counted among its own villages."""
    cutoff = elderly_cutoff(as_of)
    out: dict[str, dict[str, int]] = {}

    def grouped(qs: QuerySet[Any], **aggregates: Any) -> QuerySet[Any]:
        return qs.filter(base).annotate(prefix=Substr("path", 1, prefix_len)).values("prefix").annotate(**aggregates)

    nodes = grouped(Node.objects.filter(depth__gt=prefix_len // Node.steplen), n=Count("id")).values(
        "prefix", "level", "n"
    )
    for row in nodes.order_by():
        name = _level_field(row["level"])
        if name:
            bucket = out.setdefault(row["prefix"], {})
            bucket[name] = bucket.get(name, 0) + row["n"]
    for row in grouped(Household.objects.all(), n=Count("id")).order_by():
        out.setdefault(row["prefix"], {})["households"] = row["n"]
    residents = grouped(Resident.objects.all(), n=Count("id"), old=Count("id", filter=Q(birth_date__lte=cutoff)))
    for row in residents.order_by():
        bucket = out.setdefault(row["prefix"], {})
        bucket["residents"] = row["n"]
        bucket["aged_70_plus"] = row["old"]
    for row in grouped(_active_representatives(), n=Count("id")).order_by():
        out.setdefault(row["prefix"], {})["representatives"] = row["n"]
    return out


def _counts_for(node: Node | None, values: dict[str, int]) -> NodeCounts:
    counts = NodeCounts(node=node)
    for name, value in values.items():
        setattr(counts, name, value)
    return counts


def node_children_with_counts(*, user: Any, node: Node, as_of: datetime.date | None = None) -> list[NodeCounts]:
    """Each child of `node` with the rollup of its subtree. Representatives
    are attached to the village they represent, so they count at village
    level and above. Five queries in all, however many children there are."""
    _require_visible(user, node)
    children = list(Node.objects.filter(path__startswith=node.path, depth=node.depth + 1).order_by("path"))
    if not children:
        return []
    rollup = _rollup(len(node.path) + Node.steplen, Q(path__startswith=node.path), as_of=as_of)
    return [_counts_for(child, rollup.get(child.path, {})) for child in children]


def node_rows_with_counts(*, nodes: list[Node], as_of: datetime.date | None = None) -> list[NodeCounts]:
    """Rollups for an arbitrary list of nodes (a page of children, the root
    nodes), in input order. Four queries per distinct depth in the list.
    Callers pass nodes they have already scoped."""
    by_length: dict[int, list[Node]] = {}
    for node in nodes:
        by_length.setdefault(len(node.path), []).append(node)
    values: dict[str, dict[str, int]] = {}
    for length, group in by_length.items():
        base = Q()
        for node in group:
            base |= Q(path__startswith=node.path)
        values.update(_rollup(length, base, as_of=as_of))
    return [_counts_for(node, values.get(node.path, {})) for node in nodes]


def node_counts(*, node: Node, as_of: datetime.date | None = None) -> NodeCounts:
    """The rollup of one node's subtree. Callers check visibility first
    (:func:`node_get_visible`). Four queries."""
    values = _rollup(len(node.path), Q(path__startswith=node.path), as_of=as_of).get(node.path, {})
    return _counts_for(node, values)


def subtree_summary(*, user: Any, as_of: datetime.date | None = None) -> NodeCounts | None:
    """Counts for the user's home page; None when the user may see nothing."""
    prefix = user_scope_path(user)
    if prefix is None:
        return None
    if prefix:
        return node_counts(node=user.jurisdiction, as_of=as_of)
    return _counts_for(None, _rollup(0, Q(), as_of=as_of).get("", {}))


# --- Residents --------------------------------------------------------------


def residents_visible_to(*, user: Any, node: Node | None = None, query: str = "") -> QuerySet[Resident]:
    """Residents in the user's scope, optionally under `node`. `query`
    matches a name fragment, or exactly an ID number or phone number through
    the blind indexes (the plaintext is never searchable)."""
    qs = scope_queryset(Resident.objects.select_related("household"), user)
    if node is not None:
        _require_visible(user, node)
        qs = qs.filter(path__startswith=node.path)
    query = query.strip()
    if query:
        id_field = cast(BlindIndexField, Resident._meta.get_field("id_number_index"))
        phone_field = cast(BlindIndexField, Resident._meta.get_field("phone_index"))
        qs = qs.filter(
            Q(name__contains=query)
            | Q(id_number_index=id_field.index_of(query))
            | Q(phone_index=phone_field.index_of(query))
        )
    return qs.order_by("path", "id")


def place_labels(nodes: list[Node], *, skip_depth: int) -> dict[int, str]:
    """``第1网格 1号楼 1单元`` for each node: its own label after those of its
    ancestors deeper than `skip_depth` (the levels everybody on the page
    shares, such as the user's own village). One query for a whole page."""
    step = Node.steplen
    wanted = {n.path[: d * step] for n in nodes for d in range(skip_depth + 1, n.depth)}
    rows = Node.objects.filter(path__in=wanted).values_list("path", "short_name", "name") if wanted else []
    names = {path: short or name for path, short, name in rows}
    return {
        n.pk: " ".join([*(names.get(n.path[: d * step], "") for d in range(skip_depth + 1, n.depth)), n.label]).strip()
        for n in nodes
    }


def scope_depth(user: Any) -> int:
    """Depth of the levels a user's pages can leave out of place labels: their
    own node (the subdistrict, at least)."""
    node = getattr(user, "jurisdiction", None)
    return max(int(node.depth), 1) if node is not None else 1
