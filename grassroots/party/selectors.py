"""Reads of party building, always scoped to the user's subtree (404
outside): organisations, the member register with the derived flags (also a
resident representative, also a grid worker), pairs with their visits,
trainings with attendance and the hours per member per year, and the
红黄榜 (party staff see their subtree's entries and the draft; members see
the published list of their subdistrict)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.core.scoping import get_in_scope_or_404, scope_queryset, user_scope_path
from grassroots.regions.models import Household, Level, Node, Representative, Resident

from .models import Attendance, Board, Branch, Entry, Member, Pair, PairVisit, PointsRule, Training
from .states import BoardState


def branches_visible_to(*, user: Any) -> QuerySet[Branch]:
    return scope_queryset(
        Branch.objects.select_related("node").annotate(member_count=Count("members", filter=Q(members__active=True))),
        user,
    ).order_by("path", "name", "id")


def branch_get_visible(*, user: Any, pk: Any) -> Branch:
    return get_in_scope_or_404(branches_visible_to(user=user).prefetch_related("villages"), user, pk=pk)


def _with_flags(rows: QuerySet[Member]) -> QuerySet[Member]:
    """The derived flags: an active resident-representative term, or a staff
    account of a grid worker."""
    today = timezone.localdate()
    terms = Representative.objects.filter(resident_id=OuterRef("resident_id"), since__lte=today).filter(
        Q(until__isnull=True) | Q(until__gte=today)
    )
    return rows.annotate(is_representative=Exists(terms)).annotate(
        is_grid_worker=Case(
            When(Q(user__role=Role.GRID_WORKER, user__is_active=True), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def members_visible_to(*, user: Any, branch: Branch | None = None) -> QuerySet[Member]:
    rows = scope_queryset(Member.objects.select_related("branch", "resident", "user"), user).filter(active=True)
    if branch is not None:
        rows = rows.filter(branch=branch)
    return _with_flags(rows).order_by("path", "id")


def member_get_visible(*, user: Any, pk: Any) -> Member:
    return get_in_scope_or_404(
        _with_flags(Member.objects.select_related("branch", "resident", "resident__household", "user")), user, pk=pk
    )


def membership_of(*, user: Any) -> Member | None:
    """The user's active party membership (a staff user who is a member)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Member.objects.filter(user=user, active=True).select_related("branch").order_by("id").first()


def residents_for_branch(*, user: Any, branch: Branch, query: str) -> QuerySet[Resident]:
    """Residents of the branch's place matching a name (for adding a member)."""
    rows = scope_queryset(Resident.objects.select_related("household"), user)
    if branch.node.level == Level.VILLAGE:
        rows = rows.filter(path__startswith=branch.path)
    return rows.filter(name__contains=(query or "").strip()).order_by("name", "id")


def households_visible_to(*, user: Any) -> QuerySet[Household]:
    return scope_queryset(Household.objects.all(), user)


def places_of(*, user: Any, levels: tuple[int, ...]) -> list[Node]:
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    return list(Node.objects.filter(path__startswith=prefix, level__in=levels).order_by("path"))


def subdistrict_of(*, user: Any) -> Node | None:
    """The subdistrict above the user's jurisdiction (the 红黄榜 is per subdistrict)."""
    node = getattr(user, "jurisdiction", None)
    if node is None:
        return None
    return Node.objects.filter(path=node.path[: Node.steplen], level=Level.SUBDISTRICT).first()


# --- pairs ----------------------------------------------------------------------


def pairs_visible_to(*, user: Any) -> QuerySet[Pair]:
    return (
        scope_queryset(
            Pair.objects.select_related("branch", "member__resident", "member__user", "household", "partner"), user
        )
        .annotate(visit_count=Count("visits"))
        .order_by("path", "-started_on", "id")
    )


def pairs_of_member(*, member: Member) -> QuerySet[Pair]:
    return (
        Pair.objects.filter(member=member, active=True)
        .select_related("branch", "member__resident", "member__user", "household", "partner")
        .annotate(visit_count=Count("visits"))
        .order_by("-started_on", "id")
    )


def pair_get(*, user: Any, pk: Any, member: Member | None) -> Pair:
    """A pair in the user's subtree, or the user's own pair (as its member)."""
    rows = Pair.objects.select_related("branch", "member__resident", "member__user", "household", "partner")
    if member is not None:
        own = rows.filter(pk=pk, member=member).first()
        if own is not None:
            return own
    return get_in_scope_or_404(rows, user, pk=pk)


def pair_visits(*, pair: Pair) -> QuerySet[PairVisit]:
    return pair.visits.select_related("recorded_by").order_by("-visited_on", "-id")


# --- trainings ------------------------------------------------------------------


def trainings_visible_to(*, user: Any) -> QuerySet[Training]:
    return (
        scope_queryset(Training.objects.select_related("node"), user)
        .annotate(attendee_count=Count("attendances"))
        .order_by("-starts_at", "-id")
    )


def training_get_visible(*, user: Any, pk: Any) -> Training:
    return get_in_scope_or_404(Training.objects.select_related("node"), user, pk=pk)


def training_attendances(*, training: Training) -> QuerySet[Attendance]:
    return training.attendances.select_related("member__resident", "member__user", "member__branch").order_by(
        "signed_at", "id"
    )


def hours_by_member(*, user: Any, year: int) -> QuerySet[Member]:
    """Members of the subtree with their training hours and sessions in `year`."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime(year, 1, 1, tzinfo=zone)
    until = datetime.datetime(year + 1, 1, 1, tzinfo=zone)
    window = Q(attendances__training__starts_at__gte=since, attendances__training__starts_at__lt=until)
    return members_visible_to(user=user).annotate(
        hours=Sum("attendances__training__hours", filter=window),
        sessions=Count("attendances", filter=window),
    )


# --- the 红黄榜 ---------------------------------------------------------------


def rule_versions(*, subdistrict: Node) -> QuerySet[PointsRule]:
    return PointsRule.objects.filter(subdistrict=subdistrict).select_related("created_by").order_by("-version")


def boards_of(*, subdistrict: Node, published_only: bool) -> QuerySet[Board]:
    rows = Board.objects.filter(subdistrict=subdistrict)
    if published_only:
        rows = rows.filter(state=BoardState.PUBLISHED)
    return rows.select_related("rule").order_by("-month")


def board_entries(*, board: Board, user: Any, whole: bool) -> QuerySet[Entry]:
    """The entries of a board: all of them for a member reading the published
    list (`whole`), else those of the user's subtree."""
    rows = board.entries.select_related("member__resident", "member__user", "branch")
    if not whole:
        prefix = user_scope_path(user)
        if prefix is None:
            return rows.none()
        rows = rows.filter(branch__path__startswith=prefix)
    return rows.order_by("-points", "id")
