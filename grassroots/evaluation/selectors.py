"""Reads of 评事. Staff see sessions of their subtree only (404 outside)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from grassroots.core.scoping import get_in_scope_or_404, scope_queryset
from grassroots.publicity.models import Kind as PublicationKind
from grassroots.publicity.models import Publication
from grassroots.publicity.models import State as PublicationState
from grassroots.regions.models import Level, Node

from .models import AppraisalItem, AppraisalSession, CodeState, RosterEntry, SessionEvent
from .states import Action, State


def sessions_visible_to(*, user: Any) -> QuerySet[AppraisalSession]:
    return (
        scope_queryset(AppraisalSession.objects.select_related("village"), user)
        .annotate(item_count=Count("items", distinct=True), roster_count=Count("roster", distinct=True))
        .order_by("-month", "path")
    )


def session_get_visible(*, user: Any, pk: Any) -> AppraisalSession:
    return get_in_scope_or_404(AppraisalSession.objects.select_related("village"), user, pk=pk)


def session_events(*, session: AppraisalSession) -> list[SessionEvent]:
    """The session's record: frozen for voting, closed (with the board's
    head hash), by whom (the monthly job has no actor) and when (oldest first)."""
    events = list(SessionEvent.objects.filter(session=session).select_related("actor").order_by("created_at", "id"))
    for event in events:
        event.label = str(Action(event.action).label) if event.action in Action.values else event.action  # type: ignore[attr-defined]
    return events


def session_public_get(*, pk: Any) -> AppraisalSession | None:
    """A session as the public sees it: frozen (voting) or closed."""
    return (
        AppraisalSession.objects.select_related("village").filter(pk=pk, state__in=[State.FROZEN, State.CLOSED]).first()
    )


def sessions_published(*, limit: int = 50) -> QuerySet[AppraisalSession]:
    return (
        AppraisalSession.objects.select_related("village").filter(state=State.CLOSED).order_by("-month", "path")[:limit]
    )


def code_counts(*, session: AppraisalSession) -> dict[str, int]:
    """Counts of the current batch by state; what staff see while voting runs
    (counts only: never which code was used, and never ballot contents)."""
    row = session.codes.filter(batch=session.slips_batch).aggregate(
        **{state: Count("id", filter=Q(state=state)) for state in CodeState.values}
    )
    return {state: row[state] or 0 for state in CodeState.values}


def session_items(*, session: AppraisalSession) -> list[AppraisalItem]:
    """What the session's representatives appraise: staff and matters."""
    return list(session.items.select_related("staff", "matter"))


def session_roster(*, session: AppraisalSession) -> QuerySet[RosterEntry]:
    """The representatives on the session's roster, in the order they were added."""
    return session.roster.select_related("representative__resident").order_by("id")


def villages_visible_to(*, user: Any) -> QuerySet[Node]:
    """The villages and communities in the user's subtree, in tree order."""
    return scope_queryset(Node.objects.filter(level=Level.VILLAGE), user).order_by("path")


def village_visible(*, user: Any, pk: Any) -> Node | None:
    """One of `villages_visible_to`, or None."""
    return villages_visible_to(user=user).filter(pk=pk).first()


def subdistrict_for(*, user: Any) -> Node:
    """The subdistrict whose list the user sees: their jurisdiction's
    subdistrict (a superuser without a node: the first one)."""
    node = getattr(user, "jurisdiction", None)
    nodes = Node.objects.filter(level=Level.SUBDISTRICT)
    if node is None:
        found = nodes.order_by("path").first() if user.is_superuser else None
    else:
        prefixes = [node.path[:end] for end in range(Node.steplen, len(node.path) + 1, Node.steplen)]
        found = nodes.filter(path__in=prefixes).order_by("-path").first()
    if found is None:
        raise Http404("您的辖区不属于任何街道。")
    return found


def ranking_draft_ids(*, subdistrict: Node) -> set[int]:
    """The red/yellow list drafts (publicity's rows) of the subdistrict."""
    return set(
        Publication.objects.filter(
            kind=PublicationKind.RANKING, node=subdistrict, state=PublicationState.DRAFT
        ).values_list("pk", flat=True)
    )
