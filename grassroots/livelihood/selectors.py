"""Reads of the livelihood app, scoped by region path (outside the caller's
subtree: 404). The care lists are derived from the resident register every
time they are read: the 70+ by birth month, children by school, and the
residents and households flagged living alone, disabled or low income."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Model, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from grassroots.core.fields import BlindIndexField
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset, user_scope_path
from grassroots.regions.models import Level, Node, Resident
from grassroots.regions.presentation import MaskedResident, resident_masked

from .models import (
    Activity,
    ActivityPhoto,
    CareFlag,
    CareVisit,
    CheckIn,
    HealthRound,
    ListKind,
    Milestone,
    Project,
    ProjectPhoto,
    Registration,
)
from .states import FlagState

M = TypeVar("M", bound=Model)
ELDERLY_AGE = 70
GRID_PATH_LEN = Level.GRID * Node.steplen
FLAG_LISTS = (ListKind.LIVING_ALONE, ListKind.DISABLED, ListKind.LOW_INCOME)


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and the last day of `month`'s month."""
    start = month.replace(day=1)
    following = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, following - datetime.timedelta(days=1)


def this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


# --- Places -------------------------------------------------------------------


def grids_visible_to(*, user: Any) -> QuerySet[Node]:
    return scope_queryset(Node.objects.filter(level=Level.GRID), user).order_by("path")


def grid_get_visible(*, user: Any, pk: Any) -> Node:
    return get_in_scope_or_404(Node.objects.filter(level=Level.GRID), user, pk=pk)


def grid_of(path: str) -> Node:
    """The grid a resident (or any row under a grid) belongs to."""
    return Node.objects.get(path=path[:GRID_PATH_LEN])


# --- The lists ------------------------------------------------------------------


def _active_flags(kind: str) -> QuerySet[CareFlag]:
    return CareFlag.objects.filter(kind=kind, state=FlagState.ACTIVE)


def members(*, kind: str, month: datetime.date, path: str = "") -> QuerySet[Resident]:
    """The residents on list `kind` under `path` (for `month`: the birthday
    list is the month's). A low-income household appears as its head."""
    qs = Resident.objects.filter(path__startswith=path)
    if kind == ListKind.BIRTHDAY:
        return qs.filter(birth_date__month=month.month, birth_date__year__lte=month.year - ELDERLY_AGE)
    if kind == ListKind.CHILDREN:
        return qs.exclude(school="")
    if kind == ListKind.LOW_INCOME:
        return qs.filter(is_household_head=True, household__in=_active_flags(kind).values("household"))
    if kind in FLAG_LISTS:
        return qs.filter(pk__in=_active_flags(kind).values("resident"))
    raise Http404("没有这个名单。")


def on_list(*, resident: Resident, kind: str, month: datetime.date) -> bool:
    return members(kind=kind, month=month, path=resident.path).filter(pk=resident.pk).exists()


@dataclass(frozen=True)
class CareRow:
    """One person on a care list as staff see it: masked as everywhere (age,
    never the birth date), with what put them on the list."""

    resident: MaskedResident
    detail: str  # school and grade, or the flag's source and date, or the birthday's day
    visited_on: datetime.date | None

    @property
    def pk(self) -> int:
        return self.resident.pk


def care_list(*, user: Any, grid: Node, kind: str, month: datetime.date) -> list[CareRow]:
    """List `kind` of `grid` (visible to `user`, else 404) for `month`, with
    each person's visit of that month for this list. Four queries."""
    get_in_scope_or_404(Node.objects.all(), user, pk=grid.pk)
    residents = list(members(kind=kind, month=month, path=grid.path).select_related("household").order_by("path", "id"))
    start, end = month_bounds(month)
    visits: dict[int, datetime.date] = {}
    for resident_id, day in CareVisit.objects.filter(
        resident__in=[r.pk for r in residents], list_kind=kind, visited_on__range=(start, end)
    ).values_list("resident_id", "visited_on"):
        visits[resident_id] = max(day, visits.get(resident_id, day))
    flags: dict[int, CareFlag] = {}
    if kind in FLAG_LISTS:
        for flag in _active_flags(kind).filter(path__startswith=grid.path):
            flags[flag.resident_id or -flag.household_id] = flag
    today = timezone.localdate()
    rows = []
    for resident in residents:
        if kind == ListKind.BIRTHDAY:
            detail = f"{resident.birth_date.month}月生日,今年{month.year - resident.birth_date.year}岁"
        elif kind == ListKind.CHILDREN:
            detail = " ".join(part for part in (resident.school, resident.grade) if part)
        else:
            found = flags.get(resident.pk) or flags.get(-resident.household_id)
            detail = f"{found.source}({found.since:%Y-%m-%d} 起)" if found else ""
        rows.append(CareRow(resident_masked(resident, today=today), detail, visits.get(resident.pk)))
    return rows


# --- Coverage ---------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    visited: int
    due: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.visited / self.due) if self.due else None


@dataclass(frozen=True)
class CoverageRow:
    grid: Node
    cells: dict[str, Cell]

    @property
    def ordered(self) -> list[tuple[str, Cell]]:
        return [(kind, self.cells[kind]) for kind in ListKind.values]


def coverage(*, user: Any, month: datetime.date) -> list[CoverageRow]:
    """Visited / due this month per grid in the user's subtree and per list:
    a visit counts for the list it was recorded against, each person once.
    Two grouped queries per list, whatever the number of grids."""
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    start, end = month_bounds(month)
    due: dict[str, dict[str, int]] = defaultdict(dict)
    visited: dict[str, dict[str, int]] = defaultdict(dict)
    for kind in ListKind.values:
        rows = (
            members(kind=kind, month=month, path=prefix)
            .annotate(grid=Substr("path", 1, GRID_PATH_LEN))
            .values("grid")
            .annotate(n=Count("id"))
        )
        for row in rows:
            due[row["grid"]][kind] = row["n"]
        done = (
            CareVisit.objects.filter(
                path__startswith=prefix,
                list_kind=kind,
                visited_on__range=(start, end),
                resident__in=members(kind=kind, month=month, path=prefix),
            )
            .annotate(grid=Substr("path", 1, GRID_PATH_LEN))
            .values("grid")
            .annotate(n=Count("resident", distinct=True))
        )
        for row in done:
            visited[row["grid"]][kind] = row["n"]
    return [
        CoverageRow(
            grid,
            {kind: Cell(visited[grid.path].get(kind, 0), due[grid.path].get(kind, 0)) for kind in ListKind.values},
        )
        for grid in grids_visible_to(user=user)
    ]


def coverage_totals(rows: list[CoverageRow]) -> dict[str, Cell]:
    return {
        kind: Cell(sum(r.cells[kind].visited for r in rows), sum(r.cells[kind].due for r in rows))
        for kind in ListKind.values
    }


# --- Visits, rounds, flags -----------------------------------------------------------


def visits_visible_to(*, user: Any) -> QuerySet[CareVisit]:
    return scope_queryset(CareVisit.objects.select_related("resident", "resident__household", "visitor"), user)


def visit_get_visible(*, user: Any, pk: Any) -> CareVisit:
    return get_in_scope_or_404(
        CareVisit.objects.select_related("resident", "resident__household", "matter"), user, pk=pk
    )


def health_rounds_visible_to(*, user: Any) -> QuerySet[HealthRound]:
    return scope_queryset(HealthRound.objects.select_related("node"), user).annotate(
        seen=Count("residents", distinct=True)
    )


def health_round_get_visible(*, user: Any, pk: Any) -> HealthRound:
    return get_in_scope_or_404(HealthRound.objects.select_related("node"), user, pk=pk)


def flags_visible_to(*, user: Any, kind: str = "", state: str = "") -> QuerySet[CareFlag]:
    qs = scope_queryset(CareFlag.objects.select_related("resident", "household"), user)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("path", "id")


def flag_get_visible(*, user: Any, pk: Any) -> CareFlag:
    return get_in_scope_or_404(CareFlag.objects.select_related("resident", "household"), user, pk=pk)


def health_round_totals(*, user: Any, since: datetime.date) -> dict[str, int]:
    """Sessions and people served since `since` (the year's 健康巡诊 count)."""
    qs = scope_queryset(HealthRound.objects.filter(held_on__gte=since), user)
    totals = qs.aggregate(sessions=Count("id"), served=Sum("served"))
    return {"sessions": totals["sessions"] or 0, "served": totals["served"] or 0}


def resident_by_id_number(*, user: Any, id_number: str) -> Resident | None:
    """The resident in the user's subtree with this ID number (exactly, through the blind index)."""
    field = cast(BlindIndexField, Resident._meta.get_field("id_number_index"))
    qs = scope_queryset(Resident.objects.select_related("household"), user)
    return qs.filter(id_number_index=field.index_of(id_number.strip().upper())).first()


def residents_at(*, user: Any, node: Node, limit: int = 300) -> list[MaskedResident]:
    """The residents of `node` (in the user's subtree) to pick the ones seen
    on a health round: masked, by address, at most `limit`. Two queries."""
    qs = scope_queryset(Resident.objects.select_related("household"), user).filter(path__startswith=node.path)
    today = timezone.localdate()
    return [resident_masked(r, today=today) for r in qs.order_by("path", "id")[:limit]]


def resident_get_visible(*, user: Any, pk: Any) -> Resident:
    return get_in_scope_or_404(Resident.objects.select_related("household"), user, pk=pk)


# --- 民生实事 projects ----------------------------------------------------------------


def _with_ancestors(queryset: QuerySet[M], user: Any) -> QuerySet[M]:
    """Rows in the user's subtree, and those of the places above it: a grid
    worker sees the projects of their village and of the subdistrict (what
    residents read on the notice board anyway); another branch stays 404."""
    prefix = user_scope_path(user)
    if prefix is None:
        return queryset.none()
    if prefix == "":
        return queryset
    above = [prefix[:n] for n in range(Node.steplen, len(prefix), Node.steplen)]
    return queryset.filter(Q(path__startswith=prefix) | Q(path__in=above))


def _get_or_404(queryset: QuerySet[M], user: Any, pk: Any) -> M:
    try:
        return _with_ancestors(queryset, user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该对象,或您无权查看。") from exc


def projects_visible_to(*, user: Any) -> QuerySet[Project]:
    return _with_ancestors(Project.objects.select_related("node"), user).order_by("-updated_at", "-id")


def project_get_visible(*, user: Any, pk: Any) -> Project:
    return _get_or_404(Project.objects.select_related("node"), user, pk)


def milestone_get_visible(*, user: Any, pk: Any) -> Milestone:
    return _get_or_404(Milestone.objects.select_related("project", "project__node"), user, pk)


def project_photo_visible(*, user: Any, pk: Any) -> ProjectPhoto:
    return _get_or_404(ProjectPhoto.objects.all(), user, pk)


def activity_photo_visible(*, user: Any, pk: Any) -> ActivityPhoto:
    return _get_or_404(ActivityPhoto.objects.all(), user, pk)


# --- Activities ------------------------------------------------------------------------


def activities_in_month(*, user: Any, month: datetime.date) -> QuerySet[Activity]:
    """The calendar: activities of the month held in the user's subtree or
    above it, with recurring activities (they happen every week) always on it."""
    start, end = month_bounds(month)
    rows = _with_ancestors(Activity.objects.select_related("node"), user)
    return rows.filter(Q(starts_on__range=(start, end)) | Q(weekday__isnull=False, starts_on__lte=end)).annotate(
        registered=Count("registrations", distinct=True)
    )


def activity_get_visible(*, user: Any, pk: Any) -> Activity:
    return _get_or_404(Activity.objects.select_related("node"), user, pk)


def registration_get_visible(*, user: Any, pk: Any) -> Registration:
    return get_in_scope_or_404(Registration.objects.select_related("activity", "resident"), user, pk=pk)


def registrations_visible(*, user: Any, activity: Activity) -> QuerySet[Registration]:
    """The registrations the user may see: residents of their subtree."""
    return scope_queryset(activity.registrations.select_related("resident", "resident__household"), user)


def attendance_count_for(*, resident_ids: list[int], since: datetime.date, until: datetime.date) -> dict[int, int]:
    """How many activities each resident attended between `since` and
    `until` (inclusive): the read the party app's points use. One query."""
    rows = (
        Registration.objects.filter(
            resident_id__in=resident_ids, attended=True, activity__starts_on__range=(since, until)
        )
        .values("resident_id")
        .annotate(n=Count("id"))
    )
    return {row["resident_id"]: row["n"] for row in rows}


def check_ins_for(*, activity: Activity, user: Any, weeks: int = 8) -> list[tuple[Node, dict[datetime.date, int]]]:
    """Per village in the user's view: participants per week for the last `weeks` weeks."""
    villages = list(
        Node.objects.filter(path__startswith=activity.path, level=Level.VILLAGE).order_by("path")
        if activity.node.level != Level.VILLAGE
        else [activity.node]
    )
    prefix = user_scope_path(user) or ""
    villages = [v for v in villages if v.path.startswith(prefix) or prefix.startswith(v.path)]
    today = timezone.localdate()
    first = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    counts: dict[int, dict[datetime.date, int]] = defaultdict(dict)
    for village_id, week, n in CheckIn.objects.filter(activity=activity, week__gte=first).values_list(
        "village_id", "week", "participants"
    ):
        counts[village_id][week] = n
    return [(v, counts[v.pk]) for v in villages]
