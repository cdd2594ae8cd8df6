"""Place labels on publicity's staff pages: ``第1网格 1号楼 1单元`` under
the levels everybody on the page shares. The same rule as the matters queue
(matters.views_queue), kept here because publicity imports no matters
module (ADR 0033)."""

from __future__ import annotations

from typing import Any

from grassroots.regions.models import Node


def place_labels(nodes: list[Node], *, skip_depth: int) -> dict[int, str]:
    """Each node's own label after those of its ancestors deeper than
    `skip_depth` (the levels everybody on the page shares, such as the
    user's own village). One query for a whole page."""
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
