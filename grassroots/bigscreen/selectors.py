"""Reads of the big screen (ADR 0049): one node's figures for the command
centre, aggregates only (no names, phones or addresses; matter titles are
not shown either). Matter figures come from the matters app's figures API
(the same queries as the dashboards and the queue); the others from each
app's selectors, read as a `ScreenViewer` scoped to the node, which is how a
kiosk token (no user) and a signed-in officer see the same numbers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from grassroots.accounts.roles import Role, role_has
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset
from grassroots.economy import selectors as economy
from grassroots.indicators import selectors as indicators
from grassroots.matters.models import OPEN_STATES, Matter
from grassroots.matters.selectors.figures import matter_daily_trend, matter_figures, matter_figures_by_child
from grassroots.mediation import selectors as mediation
from grassroots.mediation.models import DisputeCase
from grassroots.regions.models import Node
from grassroots.relocation import selectors as relocation
from grassroots.relocation.selectors import progress as relocation_progress
from grassroots.safety import selectors as safety

from .models import ScreenToken

TREND_DAYS = 30
TOP_CATEGORIES = 8
TOP_PROJECTS = 4
MEDIATION_DONE = ("declined", "closed")


@dataclass(frozen=True)
class ScreenViewer:
    """The screen's reader: reads `jurisdiction`'s subtree as the subdistrict
    office would (the apps' read selectors check a capability), and is only
    ever passed to read selectors whose rows this module turns into counts."""

    jurisdiction: Node
    is_authenticated: bool = True
    is_active: bool = True
    is_superuser: bool = False
    role: str = Role.SUBDISTRICT_STAFF
    pk: None = None

    def can(self, capability: str) -> bool:
        return role_has(self.role, capability)


def tokens_visible_to(*, user: Any) -> QuerySet[ScreenToken]:
    return scope_queryset(ScreenToken.objects.select_related("node", "created_by"), user)


def token_get_visible(*, user: Any, pk: Any) -> ScreenToken:
    return get_in_scope_or_404(ScreenToken.objects.select_related("node"), user, pk=pk)


def screen_nodes_for(*, user: Any) -> QuerySet[Node]:
    """The nodes a manager may issue a screen token for: their own node and the villages under it."""
    node = getattr(user, "jurisdiction", None)
    if node is None:
        return Node.objects.none()
    return Node.objects.filter(Q(pk=node.pk) | Q(path__startswith=node.path, depth=node.depth + 1)).order_by("path")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _matters(node: Node, today: datetime.date) -> dict[str, Any]:
    figures = matter_figures(node=node)
    trend = matter_daily_trend(node=node, start=today - datetime.timedelta(days=TREND_DAYS - 1), end=today)
    labels = dict(Matter._meta.get_field("state").choices or [])
    return {
        "today": trend[-1].created if trend else 0,
        "closed_today": trend[-1].closed if trend else 0,
        "open": figures.open,
        "overdue": figures.overdue,
        "late3": figures.late3,
        "by_state": [{"label": str(labels.get(k, k)), "value": v} for k, v in figures.by_state.items()],
        "trend": {
            "days": [p.day.strftime("%m-%d") for p in trend],
            "created": [p.created for p in trend],
            "closed": [p.closed for p in trend],
            "open": [p.open_at_end for p in trend],
            "overdue": [p.overdue_at_end for p in trend],
            "late3": [p.late3_at_end for p in trend],
        },
    }


def _tiles(node: Node) -> list[dict[str, Any]]:
    """One tile per direct child (the villages of a subdistrict), in code order."""
    return [
        {
            "key": child.code or str(child.pk),
            "name": child.label,
            "open": f.open,
            "overdue": f.overdue,
            "late3": f.late3,
        }
        for child, f in matter_figures_by_child(node=node)
    ]


def _categories(node: Node) -> list[dict[str, Any]]:
    """Open matters by first-level category; sensitive categories are counted
    as 其他, matters not yet given a category (待受理) as 待分类."""
    rows = (
        Matter.objects.filter(path__startswith=node.path, state__in=OPEN_STATES)
        .annotate(
            top=Coalesce(F("category__parent__name"), F("category__name")),
            hidden=Q(category__sensitive=True) | Q(category__parent__sensitive=True),
        )
        .values("top", "hidden")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, int] = {}
    for row in rows:
        name = "其他" if row["hidden"] else str(row["top"]) if row["top"] else "待分类"
        counts[name] = counts.get(name, 0) + row["n"]
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"name": name, "value": n} for name, n in ordered[:TOP_CATEGORIES]]


def _mediation(viewer: ScreenViewer, today: datetime.date) -> dict[str, Any]:
    cases = mediation.cases_visible_to(user=viewer).filter(registered_on__year=today.year)
    labels = dict(DisputeCase._meta.get_field("source").choices or [])
    by_source = cases.values("source").annotate(n=Count("id")).order_by("source")
    totals = cases.aggregate(
        total=Count("id"),
        open=Count("id", filter=~Q(state__in=MEDIATION_DONE)),
        agreed=Count("id", filter=Q(outcome="agreed")),
    )
    return {
        "year": today.year,
        "total": totals["total"],
        "open": totals["open"],
        "agreed": totals["agreed"],
        "by_source": [{"name": str(labels.get(r["source"], r["source"])), "value": r["n"]} for r in by_source],
    }


def _safety(viewer: ScreenViewer, today: datetime.date) -> dict[str, Any]:
    stats = safety.safety_statistics(user=viewer, month=today.replace(day=1), today=today)
    total = stats.total
    return {
        "inspections": total.inspections,
        "hazards": total.hazards,
        "closed": total.closed,
        "overdue": total.overdue,
        "trend": {
            "months": [row.month.strftime("%Y-%m") for row in stats.trend],
            "hazards": [row.hazards for row in stats.trend],
            "closed": [row.closed for row in stats.trend],
        },
    }


def _relocation(viewer: ScreenViewer, today: datetime.date) -> list[dict[str, Any]]:
    rows = []
    for project in relocation.projects_visible_to(user=viewer).order_by("pk")[:TOP_PROJECTS]:
        summary = relocation_progress.summary(
            relocation_progress.project_units(user=viewer, project=project), day=today
        )
        rows.append(
            {"name": project.name, "total": summary.total, "signed": summary.signed, "rate": _number(summary.rate)}
        )
    return rows


def _indicators(node: Node, viewer: ScreenViewer) -> dict[str, Any]:
    latest = indicators.ledgers_visible_to(user=viewer).filter(node=node).order_by("-month").first()
    if latest is None:
        return {"month": "", "rows": []}
    rows = indicators.indicator_table(node=node, month=latest.month)
    return {
        "month": latest.month.strftime("%Y年%-m月"),
        "rows": [
            {
                "name": row.indicator.name,
                "unit": row.indicator.get_unit_display(),
                "value": _number(row.cumulative),
                "yoy": _number(row.yoy),
            }
            for row in rows
            if row.cumulative is not None
        ],
    }


def _projects(viewer: ScreenViewer) -> dict[str, Any]:
    rows = economy.project_progress(user=viewer)
    return {"count": len(rows), "done": sum(1 for p in rows if p.progress >= 100)}


def screen_figures(*, node: Node, today: datetime.date | None = None) -> dict[str, Any]:
    """Everything the screen shows for `node` (a node the caller may see), as JSON-ready data."""
    today = today or timezone.localdate()
    viewer = ScreenViewer(jurisdiction=node)
    return {
        "node": node.label,
        "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
        "matters": _matters(node, today),
        "tiles": _tiles(node),
        "categories": _categories(node),
        "mediation": _mediation(viewer, today),
        "safety": _safety(viewer, today),
        "relocation": _relocation(viewer, today),
        "indicators": _indicators(node, viewer),
        "projects": _projects(viewer),
    }
