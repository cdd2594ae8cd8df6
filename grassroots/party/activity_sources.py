"""The activity providers party registers (ADR 0043): livelihood's activity
calendar answers for members who are residents (attendance is recorded per
resident there). Staff-account members have no attendance in livelihood."""

from __future__ import annotations

import datetime

from grassroots.livelihood.selectors import attendance_count_for

from .activities import ActivityQuery


def livelihood_attendance(query: ActivityQuery) -> dict[int, int]:
    """Activities attended per member id, from livelihood's registrations (one query)."""
    by_resident = {p.resident_id: p.member_id for p in query.people if p.resident_id is not None}
    if not by_resident:
        return {}
    counts = attendance_count_for(
        resident_ids=list(by_resident),
        since=query.start,
        until=query.end - datetime.timedelta(days=1),
    )
    return {by_resident[resident_id]: n for resident_id, n in counts.items() if resident_id in by_resident}
