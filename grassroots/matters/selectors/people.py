"""Matters counted per person for other apps' tallies (the party 红黄榜,
ADR 0043): how many 说事 matters a person raised (recorded them, or is the
reporting resident) and how many they settled (are the handler of a matter
resolved in it) in a period. Counts only, never the matters."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count
from django.utils import timezone

from ..models import Matter


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end, datetime.time.min, tzinfo=zone),
    )


def matters_raised_by(
    *, user_ids: Iterable[int], resident_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> tuple[dict[int, int], dict[int, int]]:
    """Matters created in [start, end): per recording user id, per reporting resident id."""
    since, until = _bounds(start, end)
    rows = Matter.objects.filter(created_at__gte=since, created_at__lt=until)
    by_user = dict(
        rows.filter(created_by_id__in=list(user_ids))
        .order_by()
        .values("created_by_id")
        .annotate(n=Count("id"))
        .values_list("created_by_id", "n")
    )
    by_resident = dict(
        rows.filter(reporter_resident_id__in=list(resident_ids))
        .order_by()
        .values("reporter_resident_id")
        .annotate(n=Count("id"))
        .values_list("reporter_resident_id", "n")
    )
    return by_user, by_resident


def matters_settled_by(*, user_ids: Iterable[int], start: datetime.date, end: datetime.date) -> dict[int, int]:
    """Matters resolved in [start, end) whose handler is the user: per user id."""
    since, until = _bounds(start, end)
    return dict(
        Matter.objects.filter(assignee_id__in=list(user_ids), resolved_at__gte=since, resolved_at__lt=until)
        .order_by()
        .values("assignee_id")
        .annotate(n=Count("id"))
        .values_list("assignee_id", "n")
    )
