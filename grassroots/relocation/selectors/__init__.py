"""Reads of the relocation ledger, always scoped: a unit is seen by those
whose subtree holds its village; a project by those whose subtree holds it
or lies inside the place it covers (a village's staff see the station
square project, and only their village's units of it). `progress` holds the
aggregate figures of the dashboards and the daily report."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.core.scoping import get_in_scope_or_404, scope_queryset, user_scope_path
from grassroots.regions.models import Node

from ..models import Batch, Project, Unit, UnitEvent

__all__ = [
    "batches_of",
    "project_get_visible",
    "projects_visible_to",
    "unit_events",
    "unit_get_visible",
    "units_filtered",
    "units_visible_to",
    "workers_units",
]


def _ancestors(path: str) -> list[str]:
    return [path[:end] for end in range(Node.steplen, len(path) + 1, Node.steplen)]


def projects_visible_to(*, user: Any) -> QuerySet[Project]:
    prefix = user_scope_path(user)
    rows = Project.objects.select_related("node")
    if prefix is None:
        return rows.none()
    if prefix == "":
        return rows.order_by("id")
    return rows.filter(Q(path__startswith=prefix) | Q(path__in=_ancestors(prefix))).order_by("id")


def project_get_visible(*, user: Any, pk: Any) -> Project:
    try:
        return projects_visible_to(user=user).get(pk=pk)
    except Project.DoesNotExist as exc:
        raise Http404("未找到该项目,或不在您的辖区内。") from exc


def batches_of(*, project: Project) -> QuerySet[Batch]:
    return project.batches.order_by("number")


def units_visible_to(*, user: Any) -> QuerySet[Unit]:
    return scope_queryset(Unit.objects.all(), user)


def unit_get_visible(*, user: Any, pk: Any) -> Unit:
    rows = units_visible_to(user=user).select_related("project", "batch", "village", "address", "worker", "dispute")
    return get_in_scope_or_404(rows, user, pk=pk)


def units_filtered(
    *,
    user: Any,
    project: Project | None = None,
    batch: Any = None,
    village: Any = None,
    worker: Any = None,
    state: str = "",
    signed: bool | None = None,
    number: str = "",
) -> QuerySet[Unit]:
    """The rows behind every figure of the dashboards (a click on a count
    lands here with the same filters)."""
    rows = units_visible_to(user=user).select_related("project", "batch", "village", "worker")
    if project is not None:
        rows = rows.filter(project=project)
    if batch:
        rows = rows.filter(batch_id=batch)
    if village:
        rows = rows.filter(village_id=village)
    if worker:
        rows = rows.filter(worker_id=worker)
    if state:
        rows = rows.filter(state=state)
    if signed is not None:
        rows = rows.filter(signed_on__isnull=not signed)
    if number:
        rows = rows.filter(number__icontains=number.strip())
    return rows.order_by("project_id", "batch__number", "number", "id")


def workers_units(*, user: Any) -> QuerySet[Unit]:
    """A worker's own units (their phone page), those still in progress first."""
    return (
        units_visible_to(user=user)
        .filter(worker=user)
        .select_related("project", "batch", "village")
        .order_by("compensated_on", "project_id", "number", "id")
    )


def unit_events(*, unit: Unit) -> QuerySet[UnitEvent]:
    return unit.events.select_related("actor").order_by("created_at", "id")
