"""Reads of 评事. Staff see sessions of their subtree only (404 outside)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from grassroots.core.scoping import get_in_scope_or_404, scope_queryset

from .models import AppraisalSession, CodeState, SessionEvent
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
