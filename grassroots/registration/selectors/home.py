"""What window staff see first after logging in (the platform's home page):
today's appointments and the application queue by state, each with a link
to the page where the work is done."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from ..models import Application, Appointment
from ..states import State

# The queue's open states in the order the work flows, with a badge colour.
QUEUE_STATES = (
    (State.SUBMITTED, "text-bg-warning"),
    (State.RETURNED, "text-bg-secondary"),
    (State.ACCEPTED, "text-bg-primary"),
    (State.SUSPENDED, "text-bg-dark"),
    (State.APPROVED, "text-bg-success"),
)


@dataclass(frozen=True)
class QueueCount:
    label: str
    count: int
    url: str
    badge: str


@dataclass(frozen=True)
class WindowHome:
    today: datetime.date
    appointments: list[Appointment]
    queue: list[QueueCount]
    calendar_url: str


def window_home(*, today: datetime.date | None = None) -> WindowHome:
    """Today's appointments (one query) and the queue counts by state plus
    the late ones (one query). Counts match the queue page's filters, which
    the links open: an applicant's own unsubmitted draft is not in the queue."""
    today = today or timezone.localdate()
    appointments = list(
        Appointment.objects.filter(date=today)
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("service", "slot__window")
        .order_by("slot__start_time", "seat", "pk")
    )
    review_late = Q(state=State.SUBMITTED, review_due__lt=today)
    decision_late = Q(state=State.ACCEPTED) & (Q(statutory_due__lt=today) | Q(promised_due__lt=today))
    counts = Application.objects.aggregate(
        **{str(state): Count("pk", filter=Q(state=state)) for state, _badge in QUEUE_STATES},
        review_late=Count("pk", filter=review_late),
        decision_late=Count("pk", filter=decision_late),
    )
    queue_url = reverse("registration:app-list")
    queue = [
        QueueCount(str(State(state).label), int(counts[str(state)] or 0), f"{queue_url}?state={state}", badge)
        for state, badge in QUEUE_STATES
    ]
    queue += [
        QueueCount("初审逾期", int(counts["review_late"] or 0), f"{queue_url}?overdue=review", "text-bg-danger"),
        QueueCount("办理逾期", int(counts["decision_late"] or 0), f"{queue_url}?overdue=decision", "text-bg-danger"),
    ]
    calendar_url = f"{reverse('registration:appt-calendar')}?view=day&date={today:%Y-%m-%d}"
    return WindowHome(today=today, appointments=appointments, queue=queue, calendar_url=calendar_url)
