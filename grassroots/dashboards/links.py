"""Where each figure clicks through to: the existing list page, filtered to
the rows behind the figure (ADR 0048). Shared by the page and the API, so a
client's link and the page's agree."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from grassroots.regions.models import Level, Node


def _url(name: str, query: dict[str, object], *args: object) -> str:
    base = reverse(name, args=args) if args else reverse(name)
    clean = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{base}?{urlencode(clean)}" if clean else base


def _village_or_grid(node: Node | None) -> int | None:
    """The queue's node filter takes a village or a grid; the subdistrict is
    the whole queue (no filter)."""
    return node.pk if node is not None and node.level in (Level.VILLAGE, Level.GRID) else None


def dashboard(node: Node, *, days: int = 30) -> str:
    return _url("dashboards:node", {"days": days if days != 30 else None}, node.pk)


def matter_queue(node: Node | None, *, state: str = "", overdue: str = "") -> str:
    return _url("matters:queue", {"node": _village_or_grid(node), "state": state, "overdue": overdue})


def matter_queue_created(node: Node | None, *, day: datetime.date) -> str:
    """The matters reported on `day` (the trend's 新增 point)."""
    iso = day.isoformat()
    return _url("matters:queue", {"node": _village_or_grid(node), "date_from": iso, "date_to": iso})


def mediation_queue(node: Node, *, source: str, active: bool = False) -> str:
    village = node.pk if node.level == Level.VILLAGE else None
    return _url("mediation:queue", {"source": source, "village": village, "state": "active" if active else ""})


def safety_statistics(node: Node) -> str:
    return _url("safety:statistics", {"node": node.pk if node.level in (Level.VILLAGE, Level.GRID) else None})


def safety_month(node: Node, *, month: datetime.date) -> str:
    place = node.pk if node.level in (Level.VILLAGE, Level.GRID) else None
    return _url("safety:statistics", {"node": place, "month": month.strftime("%Y-%m")})


def addresses(node: Node, *, verified: bool) -> str:
    village = node.pk if node.level == Level.VILLAGE else None
    return _url("addresses:list", {"village": village, "state": "verified" if verified else ""})


def relocation_project(project_id: int) -> str:
    return reverse("relocation:project", args=[project_id])


def care(month: datetime.date, *, grid: Node | None = None, kind: str = "") -> str:
    if grid is not None and kind:
        return _url("livelihood:list", {"month": month.strftime("%Y-%m")}, grid.pk, kind)
    return _url("livelihood:index", {"month": month.strftime("%Y-%m")})


def indicators(node: Node, *, month: datetime.date) -> str:
    return _url("indicators:table", {"node": node.pk, "month": month.strftime("%Y-%m")})


def indicator_trend(indicator_id: int, node: Node, *, month: datetime.date) -> str:
    return _url("indicators:trend", {"node": node.pk, "month": month.strftime("%Y-%m")}, indicator_id)


def registration_month(*, start: datetime.date, end: datetime.date) -> str:
    return _url("registration:cert-stats", {"from": start.isoformat(), "to": end.isoformat()})


def weekly() -> str:
    return reverse("deliberation:weekly")
