"""A minimal RFC 5545 writer for the public meeting feed: CRLF line ends,
lines folded at 75 octets, TEXT values escaped, times in UTC."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from grassroots.core.scrubbing import scrub_personal_numbers

from .models import Meeting

DURATION = datetime.timedelta(hours=2)


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line to at most 75 octets, never splitting a UTF-8 character."""
    out: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode()) > limit:
            out.append(current)
            current = " " + char
            limit = 75
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_for(*, village: object, meetings: Iterable[Meeting], now: datetime.datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Grassroots//Deliberation//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(str(village))}议事会议",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for m in meetings:
        lines += [
            "BEGIN:VEVENT",
            f"UID:deliberation-meeting-{m.pk}@grassroots",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(m.starts_at)}",
            f"DTEND:{_utc(m.starts_at + DURATION)}",
            f"SUMMARY:{escape(m.get_kind_display() + ':' + scrub_personal_numbers(m.title))}",
            f"LOCATION:{escape(scrub_personal_numbers(m.place))}",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
