"""Reads for the mediation centre, always through jurisdiction scoping: a case
outside the user's subtree does not exist for them (404). Statistics live in
stats.py."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset, user_scope_path
from grassroots.regions.models import Level, Node

from . import permissions
from .models import (
    CaseEvent,
    CaseMediator,
    Committee,
    Consultation,
    DisputeCase,
    GridAdviser,
    Party,
    Session,
    SessionStatus,
)
from .services.workflow import due_soon_days
from .states import ACTIVE_STATES, PERIOD_STATES

NOT_FOUND = "未找到该对象,或您无权查看。"
VILLAGE_PREFIX = Level.VILLAGE * Node.steplen


# --- Cases ---------------------------------------------------------------------


def cases_visible_to(*, user: Any) -> QuerySet[DisputeCase]:
    if not permissions.can_view(user):
        return DisputeCase.objects.none()
    return scope_queryset(DisputeCase.objects.all(), user)


def case_get_visible(*, user: Any, pk: Any) -> DisputeCase:
    try:
        return cases_visible_to(user=user).select_related("node", "committee", "legal_adviser").get(pk=int(pk))
    except (DisputeCase.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc


def case_load(*, pk: int) -> DisputeCase:
    """Everything the detail page and the API show, in a fixed number of queries."""
    return (
        DisputeCase.objects.select_related(
            "node", "committee", "legal_adviser", "created_by", "source_matter", "agreement"
        )
        .prefetch_related(
            Prefetch("team_members", queryset=CaseMediator.objects.select_related("user")),
            "parties",
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("created_by").prefetch_related(
                    "parties_present", "staff_present"
                ),
            ),
            "follow_ups__created_by",
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class DueStatus:
    level: str  # "overdue", "soon", "ok" or "" (no running period)
    days_left: int | None = None

    @property
    def label(self) -> str:
        if self.level == "overdue":
            return f"已超期 {-(self.days_left or 0)} 日"
        if self.level == "soon":
            return "今日到期" if self.days_left == 0 else f"{self.days_left} 日后到期"
        if self.level == "ok":
            return f"剩余 {self.days_left} 日"
        return ""


def due_status(case: DisputeCase, *, today: datetime.date | None = None) -> DueStatus:
    if case.state not in PERIOD_STATES or case.due_date is None:
        return DueStatus("")
    today = today or timezone.localdate()
    left = (case.due_date - today).days
    if left < 0:
        return DueStatus("overdue", left)
    return DueStatus("soon" if left <= due_soon_days() else "ok", left)


@dataclass
class QueueFilters:
    state: str = ""
    source: str = ""
    dispute_type: str = ""
    village: Node | None = None
    risk: str = ""  # "high" or "escalation"
    due: str = ""  # "soon" or "overdue"
    mine: bool = False
    query: str = ""


def case_queue(*, user: Any, filters: QueueFilters | None = None) -> QuerySet[DisputeCase]:
    filters = filters or QueueFilters()
    qs = cases_visible_to(user=user).select_related("node", "committee", "legal_adviser")
    if filters.state == "active":
        qs = qs.filter(state__in=ACTIVE_STATES)
    elif filters.state:
        qs = qs.filter(state=filters.state)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.dispute_type:
        qs = qs.filter(dispute_type=filters.dispute_type)
    if filters.village is not None:
        qs = qs.filter(path__startswith=filters.village.path)
    if filters.risk == "high":
        qs = qs.filter(risk_level="high")
    elif filters.risk == "escalation":
        qs = qs.filter(escalation_risk=True)
    if filters.due:
        today = timezone.localdate()
        qs = qs.filter(state__in=PERIOD_STATES)
        if filters.due == "overdue":
            qs = qs.filter(due_date__lt=today)
        else:
            qs = qs.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=due_soon_days()))
    if filters.mine:
        qs = qs.filter(Q(legal_adviser=user) | Exists(CaseMediator.objects.filter(case=OuterRef("pk"), user=user)))
    query = filters.query.strip()
    if query:
        qs = qs.filter(
            Q(number__icontains=query)
            | Q(title__contains=query)
            | Q(source_reference__icontains=query)
            | Exists(Party.objects.filter(case=OuterRef("pk"), name__contains=query))
        )
    return qs.order_by("-registered_on", "-id")


def lead_mediators(cases: list[DisputeCase]) -> dict[int, Any]:
    """case id → lead mediator, for a page of cases (one query)."""
    rows = CaseMediator.objects.filter(case__in=[c.pk for c in cases], lead=True).select_related("user")
    return {row.case_id: row.user for row in rows}


# --- Teams and workloads ----------------------------------------------------------


def committees_for(*, case: DisputeCase) -> QuerySet[Committee]:
    """Active committees whose area contains the case's node."""
    ancestors = [case.path[:i] for i in range(Node.steplen, len(case.path) + 1, Node.steplen)]
    return Committee.objects.filter(active=True, path__in=ancestors).order_by("path", "name")


def committees_visible_to(*, user: Any) -> QuerySet[Committee]:
    prefix = user_scope_path(user)
    if prefix is None:
        return Committee.objects.none()
    # A village's staff also see the subdistrict's committee that serves them.
    ancestors = [prefix[:i] for i in range(Node.steplen, len(prefix) + 1, Node.steplen)]
    return Committee.objects.filter(Q(path__startswith=prefix) | Q(path__in=ancestors)).select_related("node")


def grid_adviser_for(node: Node) -> Any:
    """The current legal adviser of the grid containing `node` (None above grid level)."""
    if node.level < Level.GRID:
        return None
    grid_path = node.path[: Level.GRID * Node.steplen]
    row = GridAdviser.objects.filter(path=grid_path, until__isnull=True).select_related("adviser").first()
    return row.adviser if row else None


def team_candidates(*, case: DisputeCase) -> dict[str, list[Any]]:
    """Active mediators and legal advisers whose jurisdiction contains the case's node."""
    ancestors = [case.path[:i] for i in range(Node.steplen, len(case.path) + 1, Node.steplen)]
    users = list(
        User.objects.filter(
            is_active=True, role__in=[Role.MEDIATOR, Role.LEGAL_ADVISER], jurisdiction__path__in=ancestors
        ).order_by("display_name", "username")
    )
    return {
        "mediators": [u for u in users if u.role == Role.MEDIATOR],
        "advisers": [u for u in users if u.role == Role.LEGAL_ADVISER],
    }


def advisers_for(*, user: Any) -> QuerySet[User]:
    """Active legal advisers who work in the user's area (above or below it)."""
    prefix = user_scope_path(user)
    qs = User.objects.filter(is_active=True, role=Role.LEGAL_ADVISER)
    if prefix is None:
        return qs.none()
    if prefix:
        ancestors = [prefix[:i] for i in range(Node.steplen, len(prefix) + 1, Node.steplen)]
        qs = qs.filter(Q(jurisdiction__path__startswith=prefix) | Q(jurisdiction__path__in=ancestors))
    return qs.order_by("display_name", "username")


@dataclass
class Workload:
    user: Any
    open_cases: int = 0
    overdue: int = 0
    lead: int = 0
    grids: int = 0


def workloads(*, user: Any) -> list[Workload]:
    """Open cases per mediator and legal adviser working in the user's area
    (counted within the user's scope). Four queries."""
    prefix = user_scope_path(user)
    if prefix is None or not permissions.can_view(user):
        return []
    ancestors = [prefix[:i] for i in range(Node.steplen, len(prefix) + 1, Node.steplen)]
    staff = list(
        User.objects.filter(is_active=True, role__in=[Role.MEDIATOR, Role.LEGAL_ADVISER])
        .filter(Q(jurisdiction__path__startswith=prefix) | Q(jurisdiction__path__in=ancestors))
        .select_related("jurisdiction")
        .order_by("role", "display_name", "username")
    )
    rows = {u.pk: Workload(user=u) for u in staff}
    today = timezone.localdate()
    active = scope_queryset(DisputeCase.objects.filter(state__in=ACTIVE_STATES), user)
    overdue_q = Q(case__state__in=PERIOD_STATES, case__due_date__lt=today)
    for row in (
        CaseMediator.objects.filter(case__in=active, user_id__in=rows)
        .values("user_id")
        .annotate(
            n=Count("case_id"), late=Count("case_id", filter=overdue_q), led=Count("case_id", filter=Q(lead=True))
        )
    ):
        entry = rows[row["user_id"]]
        entry.open_cases, entry.overdue, entry.lead = row["n"], row["late"], row["led"]
    for row in (
        active.filter(legal_adviser_id__in=rows)
        .values("legal_adviser_id")
        .annotate(n=Count("id"), late=Count("id", filter=Q(state__in=PERIOD_STATES, due_date__lt=today)))
    ):
        entry = rows[row["legal_adviser_id"]]
        entry.open_cases, entry.overdue = row["n"], row["late"]
    for row in (
        GridAdviser.objects.filter(until__isnull=True, adviser_id__in=rows, path__startswith=prefix)
        .values("adviser_id")
        .annotate(n=Count("id"))
    ):
        rows[row["adviser_id"]].grids = row["n"]
    return sorted(rows.values(), key=lambda w: (w.user.role, -w.open_cases, str(w.user)))


def grid_advisers_visible_to(*, user: Any, village: Node | None = None) -> QuerySet[GridAdviser]:
    qs = scope_queryset(GridAdviser.objects.filter(until__isnull=True), user).select_related("grid", "adviser")
    if village is not None:
        qs = qs.filter(path__startswith=village.path)
    return qs.order_by("path")


def grids_visible_to(*, user: Any, village: Node | None = None) -> QuerySet[Node]:
    qs = scope_queryset(Node.objects.filter(level=Level.GRID), user)
    if village is not None:
        qs = qs.filter(path__startswith=village.path)
    return qs.order_by("path")


def village_labels(paths: set[str]) -> dict[str, str]:
    """Village label by village path, for grid lists (one query)."""
    prefixes = {p[:VILLAGE_PREFIX] for p in paths if len(p) >= VILLAGE_PREFIX}
    rows = Node.objects.filter(path__in=prefixes).values_list("path", "short_name", "name")
    return {path: short or name for path, short, name in rows}


def place_labels(nodes: Iterable[Node]) -> dict[int, str]:
    """ "西张村 / 第1网格 / 1号楼" for each node below the subdistrict (grids
    and units have names that repeat in every village). One query."""
    unique = list({n.pk: n for n in nodes}.values())
    wanted = {n.path[: d * Node.steplen] for n in unique for d in range(Level.VILLAGE, n.depth)}
    rows = Node.objects.filter(path__in=wanted).values_list("path", "short_name", "name") if wanted else []
    labels = {path: short or name for path, short, name in rows}
    return {
        n.pk: " / ".join(
            [labels.get(n.path[: d * Node.steplen], "") for d in range(Level.VILLAGE, n.depth)] + [n.label]
        )
        for n in unique
    }


def villages_visible_to(*, user: Any) -> QuerySet[Node]:
    return scope_queryset(Node.objects.filter(level=Level.VILLAGE), user).order_by("path")


# --- Mediators' and advisers' own work --------------------------------------------


def my_cases(*, user: Any) -> QuerySet[DisputeCase]:
    return case_queue(user=user, filters=QueueFilters(state="active", mine=True))


def my_sessions(*, user: Any, days_back: int = 1) -> QuerySet[Session]:
    """Scheduled sessions of the user's cases (and of the last day, for recording)."""
    since = timezone.now() - datetime.timedelta(days=days_back)
    mine = my_cases(user=user).values("pk")
    return (
        Session.objects.filter(case__in=mine, status=SessionStatus.SCHEDULED, scheduled_at__gte=since)
        .select_related("case", "case__node")
        .order_by("scheduled_at")
    )


def adviser_grids(*, user: Any) -> list[GridAdviser]:
    return list(GridAdviser.objects.filter(adviser=user, until__isnull=True).select_related("grid").order_by("path"))


def consultations_visible_to(*, user: Any, grid: Node | None = None, own: bool = False) -> QuerySet[Consultation]:
    if not (permissions.can_view(user) or permissions.can_consult(user)):
        return Consultation.objects.none()
    qs = scope_queryset(Consultation.objects.select_related("grid", "adviser"), user)
    if own:
        qs = qs.filter(adviser=user)
    if grid is not None:
        qs = qs.filter(path__startswith=grid.path)
    return qs.order_by("-consulted_on", "-id")


def consultation_counts(*, grid_paths: list[str]) -> dict[str, int]:
    rows = Consultation.objects.filter(path__in=grid_paths).values("path").annotate(n=Count("id"))
    return {row["path"]: row["n"] for row in rows}


def nodes_by_ids(ids: Iterable[Any]) -> QuerySet[Node]:
    """The nodes `ids` (a legal adviser's grids), in tree order."""
    return Node.objects.filter(pk__in=list(ids)).order_by("path")


def node_in_scope(*, user: Any, pk: Any) -> Node:
    node: Node = get_in_scope_or_404(Node.objects.all(), user, pk=pk)
    return node


def sessions_in_scope(*, user: Any) -> QuerySet[Session]:
    return scope_queryset(Session.objects.select_related("case"), user)


def session_in_scope(*, user: Any, pk: Any) -> Session:
    session: Session = get_in_scope_or_404(Session.objects.select_related("case"), user, pk=pk)
    return session


def parties_in_scope(*, user: Any) -> QuerySet[Party]:
    return scope_queryset(Party.objects.select_related("case"), user)


def party_in_scope(*, user: Any, pk: Any) -> Party:
    party: Party = get_in_scope_or_404(Party.objects.select_related("case"), user, pk=pk)
    return party
