"""The matters panel: by state, open, overdue and late-3× for the node's
subtree, the same per child (the villages of a subdistrict, the grids of a
village) for the comparison bars, and the daily trend. Every figure comes
from the matters app's figures API (`matters.selectors.figures`, kept from
rollups), which agrees with the queue's filters (ADR 0048)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from grassroots.matters.selectors.figures import (
    DailyPoint,
    MatterFigures,
    matter_daily_trend,
    matter_figures,
    matter_figures_by_child,
)
from grassroots.regions.models import Level, Node


@dataclass(frozen=True)
class MattersPanel:
    figures: MatterFigures
    # One row per direct child; none on a grid's dashboard (its children are buildings).
    children: list[tuple[Node, MatterFigures]]
    trend: list[DailyPoint]
    days: int


def matters_panel(*, node: Node, days: int, today: datetime.date) -> MattersPanel:
    """The node's matter figures now, per child, and over the last `days` days (today included)."""
    start = today - datetime.timedelta(days=days - 1)
    children = matter_figures_by_child(node=node) if node.level in (Level.SUBDISTRICT, Level.VILLAGE) else []
    return MattersPanel(
        figures=matter_figures(node=node),
        children=children,
        trend=matter_daily_trend(node=node, start=start, end=today),
        days=days,
    )
