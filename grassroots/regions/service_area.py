"""Which places the installation serves (ADR 0021).

A division import may bring a whole city (2,931 villages in 88 townships)
while staff accounts exist for one subdistrict. A report anchored at a place
nobody handles would be accepted and then seen by nobody, so:

- The *handling node* of a place is the nearest node, going up from the place
  itself, that is the jurisdiction of at least one active staff user whose
  role handles matters (`HANDLE_MATTERS`: village and subdistrict staff).
  Their scope (ADR 0009) contains the place, so they see what is reported
  there. Grid workers record and visit but do not handle, so a grid worker
  alone does not make a place served.
- A place is *served* when it has a handling node.
- A report is *routed* when its handling node lies above the place's own
  village (the village has no handling staff of its own, so the subdistrict
  or, later, the district takes it): the matter stays anchored at the place
  (where it happened is a fact) and the routing is recorded and notified.
- A place without a handling node is refused with a clear message; public
  place pickers offer only places that are served or lead to served ones.

One query reads the handling staff's jurisdiction paths; everything else is
prefix arithmetic on materialised paths."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from grassroots.accounts.models import User
from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability

from .models import Level, Node

HANDLING_CAPABILITY = Capability.HANDLE_MATTERS
MAX_ID = 2**63 - 1


def handling_roles() -> list[str]:
    return [role for role, capabilities in ROLE_CAPABILITIES.items() if HANDLING_CAPABILITY in capabilities]


@dataclass(frozen=True)
class ServiceArea:
    """The jurisdiction paths of active handling staff."""

    paths: frozenset[str]

    def handler_path(self, path: str) -> str | None:
        """The longest staff path that is a prefix of `path` (the nearest node, going up)."""
        found = [p for p in self.paths if path.startswith(p)]
        return max(found, key=len) if found else None

    def serves(self, node: Node) -> bool:
        return self.handler_path(node.path) is not None

    def reaches(self, node: Node) -> bool:
        """Served, or something below it is: a picker may offer it as a step."""
        return self.serves(node) or any(p.startswith(node.path) for p in self.paths)


def service_area() -> ServiceArea:
    """One query."""
    paths = (
        User.objects.filter(is_active=True, role__in=handling_roles(), jurisdiction__isnull=False)
        .values_list("jurisdiction__path", flat=True)
        .distinct()
    )
    return ServiceArea(paths=frozenset(paths))


@dataclass(frozen=True)
class Route:
    """Where a report at `node` is handled (`handler` None: nobody handles it)."""

    node: Node
    handler: Node | None

    @property
    def served(self) -> bool:
        return self.handler is not None

    @property
    def routed(self) -> bool:
        """Handled above the place's own village (its village has no handling staff)."""
        return self.handler is not None and self.handler.level < min(self.node.level, Level.VILLAGE)


def place_route(*, node: Node, area: ServiceArea | None = None) -> Route:
    """The route of a report at `node` (two queries, one with `area` given)."""
    area = area or service_area()
    path = area.handler_path(node.path)
    if path is None:
        return Route(node=node, handler=None)
    handler = node if path == node.path else Node.objects.get(path=path)
    return Route(node=node, handler=handler)


def handlers_at(node: Node) -> list[User]:
    """The active handling staff whose jurisdiction is exactly `node`."""
    return list(User.objects.filter(jurisdiction=node, role__in=handling_roles(), is_active=True).order_by("pk"))


def unserved_message(node: Node) -> str:
    return (
        f"“{node.label}”暂未开通线上受理:本平台还没有负责该地的工作人员。"
        "请直接联系当地村(居)委会或街道(乡镇)办事处,或拨打 12345 政务服务便民热线。"
    )


# --- Public pickers: township → village ----------------------------------------------


def labelled(nodes: list[Node]) -> list[tuple[Node, str]]:
    """(node, label) with repeated labels disambiguated by the full name, or
    the division code when the full names repeat too."""
    counts = Counter(n.label for n in nodes)
    full = Counter(n.name for n in nodes)
    out = []
    for n in nodes:
        label = n.label
        if counts[label] > 1:
            extra = n.name if full[n.name] == 1 and n.name != label else (n.code or n.path)
            label = f"{label}({extra})"
        out.append((n, label))
    return out


def public_townships(*, area: ServiceArea) -> list[Node]:
    """Townships/subdistricts (乡镇/街道) that are served or have served places
    below them, in division-code order (one query)."""
    nodes = Node.objects.filter(level=Level.SUBDISTRICT).order_by("code", "path")
    return [n for n in nodes if area.reaches(n)]


def public_children(*, parent: Node, area: ServiceArea) -> list[Node]:
    """Children of `parent` that are served or lead to served places (one query)."""
    nodes = Node.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("code", "path")
    return [n for n in nodes if area.reaches(n)]


def public_village(*, pk: Any, area: ServiceArea) -> Node | None:
    """A served village by id (None for anything else: unknown, not a village, unserved)."""
    try:
        value = int(str(pk))
    except (TypeError, ValueError):
        return None
    if not 0 < value <= MAX_ID:
        return None
    node = Node.objects.filter(pk=value, level=Level.VILLAGE).first()
    return node if node is not None and area.serves(node) else None


def served_villages(*, area: ServiceArea) -> QuerySet[Node]:
    """Every served village, as a queryset (a form field's choices)."""
    if not area.paths:
        return Node.objects.none()
    under = Q()
    for path in area.paths:
        under |= Q(path__startswith=path)
    # A village's own staff path is the village's path: startswith covers it.
    return Node.objects.filter(under, level=Level.VILLAGE).order_by("code", "path")


@dataclass
class PublicCascade:
    """A public township → village choice: the townships offered, the one
    chosen (or the only one), and its served villages (two or three queries)."""

    townships: list[tuple[Node, str]]
    township: Node | None
    villages: list[tuple[Node, str]]
    selected: str = ""


def public_cascade(*, area: ServiceArea, township: Any = "", village: Any = "") -> PublicCascade:
    """The cascade for a form's data: `township` as sent, or the township of
    the chosen `village`, or the only township served."""
    townships = public_townships(area=area)
    chosen = next((t for t in townships if str(t.pk) == str(township or "")), None)
    if chosen is None and village:
        node = public_village(pk=village, area=area)
        chosen = next((t for t in townships if node is not None and node.path.startswith(t.path)), None)
    if chosen is None and len(townships) == 1:
        chosen = townships[0]
    villages = labelled(public_children(parent=chosen, area=area)) if chosen is not None else []
    return PublicCascade(labelled(townships), chosen, villages, str(village or ""))
