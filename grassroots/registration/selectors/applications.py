"""Reads for applications: the staff queue with its filters and clocks, the
applicant's view through a tracking code, and (from `selectors.checklist`)
the material checklist of a case."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grassroots.core.workdays import CalendarNotCovered, WorkCalendar

from ..models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Commitment,
)
from ..services.clock import ApplicationClock, DueStatus, application_clock, stops_of
from ..services.workflow import parse_tracking_code
from ..states import State
from .checklist import (
    EXTRA_AUTHORISATION,
    EXTRA_BANK_VOUCHER,
    EXTRA_COMMITMENT,
    EXTRA_LABELS,
    EXTRA_OTHER,
    FUNDS_PROOFS,
    UPLOADABLE_EXTRAS,
    Checklist,
    ChecklistItem,
    application_checklist,
    case_answers,
    case_requirements,
    is_commitment_requirement,
    last_review_verdicts,
    replaceable_requirements,
)

__all__ = [
    "EXTRA_AUTHORISATION",
    "EXTRA_BANK_VOUCHER",
    "EXTRA_COMMITMENT",
    "EXTRA_LABELS",
    "EXTRA_OTHER",
    "FUNDS_PROOFS",
    "OVERDUE_CHOICES",
    "UPLOADABLE_EXTRAS",
    "Checklist",
    "ChecklistItem",
    "QueueRow",
    "application_by_code",
    "application_checklist",
    "application_get",
    "applications_queue",
    "case_answers",
    "case_requirements",
    "commitments_due",
    "is_commitment_requirement",
    "last_review_verdicts",
    "queue_rows",
    "replaceable_requirements",
]


# --- Look-ups ---------------------------------------------------------------------


def application_get(pk: int | str) -> Application:
    """One application for window staff (registration is not tree-scoped:
    every window user of the authority sees every application, ADR 0011)."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    application = (
        Application.objects.select_related("service", "organisation", "appointment", "created_by")
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor").order_by("created_at", "id")),
            Prefetch(
                "materials",
                queryset=ApplicationMaterial.objects.select_related("requirement", "uploaded_by").order_by(
                    "created_at", "id"
                ),
            ),
            "clock_stops",
            "return_notices",
        )
        .filter(pk=key)
        .first()
    )
    if application is None:
        raise Http404
    return application


def application_by_code(code: str) -> Application | None:
    """The applicant's own application through its tracking code; None for
    any wrong code (callers answer 404 whatever the reason)."""
    normalised = parse_tracking_code(code)
    if len(normalised) != 12:
        return None
    return (
        Application.objects.select_related("service", "organisation")
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "id")),
            Prefetch(
                "materials",
                queryset=ApplicationMaterial.objects.select_related("requirement").order_by("created_at", "id"),
            ),
            "clock_stops",
            "return_notices",
        )
        .filter(tracking_code=normalised)
        .first()
    )


# --- The queue --------------------------------------------------------------------

OVERDUE_CHOICES = ("review", "decision", "any")


def applications_queue(
    *,
    state: str | None = None,
    service: int | None = None,
    overdue: str | None = None,
    assisted: bool | None = None,
    query: str = "",
    today: datetime.date | None = None,
) -> QuerySet[Application]:
    """Applications for the window queue, newest first. `overdue`: `review`
    (preliminary review past its 5 working days, Art. 32), `decision`
    (statutory or promised date passed), `any`."""
    today = today or timezone.localdate()
    queryset = Application.objects.select_related("service").prefetch_related("clock_stops")
    # An applicant's online draft is theirs until submitted; drafts filled in at the window (帮办) show.
    queryset = queryset.exclude(state=State.DRAFT, assisted=False)
    if state:
        queryset = queryset.filter(state=state)
    if service:
        queryset = queryset.filter(service_id=service)
    if assisted is not None:
        queryset = queryset.filter(assisted=assisted)
    review_late = Q(state=State.SUBMITTED, review_due__lt=today)
    decision_late = Q(state=State.ACCEPTED) & (Q(statutory_due__lt=today) | Q(promised_due__lt=today))
    if overdue == "review":
        queryset = queryset.filter(review_late)
    elif overdue == "decision":
        queryset = queryset.filter(decision_late)
    elif overdue == "any":
        queryset = queryset.filter(review_late | decision_late)
    text = (query or "").strip()
    if text:
        code = parse_tracking_code(text)
        queryset = queryset.filter(
            Q(org_name__icontains=text)
            | Q(applicant_name__icontains=text)
            | Q(number__iexact=text)
            | Q(tracking_code=code or "-")
        )
    return queryset.order_by("-submitted_at", "-created_at", "-id")


@dataclass(frozen=True)
class QueueRow:
    application: Application
    clock: ApplicationClock


def queue_rows(applications: Sequence[Application], *, today: datetime.date | None = None) -> list[QueueRow]:
    """Clocks for a page of the queue with one shared calendar (the stops are
    prefetched, so the page costs a fixed number of queries). A clock that
    reaches a year the calendar does not cover shows as not computable
    rather than breaking the page."""
    calendar = WorkCalendar()
    today = today or timezone.localdate()
    rows = []
    for application in applications:
        try:
            clock = application_clock(
                application, stops=stops_of(application.clock_stops.all()), today=today, calendar=calendar
            )
        except CalendarNotCovered as exc:
            unknown = DueStatus("unknown", "无法计算")
            clock = ApplicationClock(
                review=unknown,
                statutory=unknown,
                promised=unknown,
                deemed_accepted=False,
                suspended_days=0,
                extended=False,
                notes=[exc.message],
            )
        rows.append(QueueRow(application, clock))
    return rows


def commitments_due(*, today: datetime.date | None = None) -> QuerySet[Commitment]:
    """Signed commitments whose verification is due (the follow-up task)."""
    today = today or timezone.localdate()
    return Commitment.objects.filter(
        status=Commitment.Status.SIGNED, verification_due__isnull=False, verification_due__lte=today
    ).select_related("application")
