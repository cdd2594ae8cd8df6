"""Reads of the relocation ledger, always scoped: a unit is seen by those
whose subtree holds its village; a project by those whose subtree holds it
or lies inside the place it covers (a village's staff see the station
square project, and only their village's units of it). `progress` holds the
aggregate figures of the dashboards and the daily report."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from grassroots.accounts.models import User
from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset, user_scope_path
from grassroots.regions.models import Node

from ..models import Batch, Project, Unit, UnitEvent

__all__ = [
    "batch_get_visible",
    "batches_of",
    "project_get_visible",
    "projects_visible_to",
    "unit_events",
    "unit_get_visible",
    "units_filtered",
    "units_visible_to",
    "worker_candidates",
    "workers_counts",
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


def batch_get_visible(*, user: Any, pk: Any) -> Batch:
    """A batch is seen with its project."""
    visible = projects_visible_to(user=user).values("pk")
    try:
        return Batch.objects.select_related("project", "project__node").get(pk=pk, project__in=visible)
    except Batch.DoesNotExist as exc:
        raise Http404("未找到该批次,或不在您的辖区内。") from exc


# Roles whose users take units through the stages (包户): village and subdistrict staff, relocation workers.
WORKER_ROLES = tuple(
    role
    for role, caps in ROLE_CAPABILITIES.items()
    if Capability.WORK_RELOCATION in caps or Capability.WORK_ASSIGNED_RELOCATION in caps
)


def worker_candidates(*, project: Project) -> QuerySet[User]:
    """Who may be given a project's units: active users of a worker role
    placed inside the project's node or above it (each unit is then checked
    against the worker's own subtree)."""
    return (
        User.objects.filter(is_active=True, role__in=WORKER_ROLES, jurisdiction__isnull=False)
        .filter(Q(jurisdiction__path__startswith=project.path) | Q(jurisdiction__path__in=_ancestors(project.path)))
        .select_related("jurisdiction")
        .order_by("jurisdiction__path", "display_name", "username")
    )


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
    # Lists show the head's name masked and nothing else of theirs: the
    # encrypted phone and ID number are not loaded (each would be decrypted
    # on every row, ADR 0046).
    rows = (
        units_visible_to(user=user)
        .select_related("project", "batch", "village", "worker")
        .defer("head_phone", "head_id_number", "head_phone_index", "head_id_number_index")
    )
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
    # Batches are numbered in the order they are added, so batch_id orders
    # them too, and the page is read from the (project, …, batch, number)
    # indexes instead of sorting the project's units joined to their batch.
    return rows.order_by("project_id", "batch_id", "number")


def workers_units(*, user: Any) -> QuerySet[Unit]:
    """A worker's own units (their phone page), those still in progress first."""
    return (
        units_visible_to(user=user)
        .filter(worker=user)
        .select_related("project", "batch", "village")
        .order_by("compensated_on", "project_id", "number", "id")
    )


def workers_counts(*, user: Any) -> dict[str, int]:
    """A worker's units by stage (one aggregate query): the home panel."""
    mine = units_visible_to(user=user).filter(worker=user)
    counts = mine.aggregate(
        total=Count("id"),
        open=Count("id", filter=~Q(state="compensated")),
        pending=Count("id", filter=Q(state="pending")),
        confirmed=Count("id", filter=Q(state="confirmed")),
        assessed=Count("id", filter=Q(state="assessed")),
        signed=Count("id", filter=Q(signed_on__isnull=False)),
    )
    return {k: int(v or 0) for k, v in counts.items()}


def unit_events(*, unit: Unit) -> QuerySet[UnitEvent]:
    return unit.events.select_related("actor").order_by("created_at", "id")
