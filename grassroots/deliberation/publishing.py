"""Meetings as a publication source (ADR 0033): what 晒事 needs to publish a
closed meeting's resolutions, including the draft text staff review before
publishing. Registered in DeliberationConfig.ready(); publicity never
imports deliberation.

Only what is public anyway goes in the draft: agenda titles, decisions, vote
counts and responsible units, never a representative's or a resident's
name. Titles that come from matters are scrubbed of phone and ID numbers,
and agenda items about a matter in a sensitive category are left out (ADR 0018)."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from grassroots.core.errors import DomainError
from grassroots.core.publishing import PublicationSource, Step
from grassroots.core.scoping import get_in_scope_or_404
from grassroots.core.scrubbing import scrub_personal_numbers
from grassroots.matters.selectors import matter_progress, sensitive_matter_q
from grassroots.publicity.services import chinese_number, date_label
from grassroots.publicity.services.text import draft_title

from .models import AgendaItem, Meeting
from .states import State

RESOLUTION = "resolution"  # the publication kind (publicity.models.Kind)


def resolution_draft(meeting: Meeting) -> tuple[str, str]:
    """(title, content) listing every resolution of the meeting in agenda order."""
    items = list(
        AgendaItem.objects.filter(meeting=meeting, resolution__isnull=False)
        .exclude(sensitive_matter_q("matter__"))
        .select_related("resolution", "resolution__responsible_unit")
        .order_by("position")
    )
    held = timezone.localtime(meeting.starts_at)
    lines = [
        f"{meeting.node.label}于{date_label(held.date())}在{meeting.place}召开"
        f"{meeting.get_kind_display()}“{meeting.title}”"
        + (f",应到 {meeting.expected_count} 人" if meeting.expected_count else "")
        + f"。会议共形成 {len(items)} 项决议,现予公示:",
    ]
    for number, item in enumerate(items, start=1):
        resolution = item.resolution
        lines.append("")
        lines.append(f"{chinese_number(number)}、议题:{scrub_personal_numbers(item.title)}")
        lines.append(f"决议内容:{' '.join(scrub_personal_numbers(resolution.decision).split())}")
        lines.append(
            f"表决结果:赞成 {resolution.votes_for} 票,反对 {resolution.votes_against} 票,"
            f"弃权 {resolution.votes_abstain} 票(到会 {resolution.present} 人),"
            + ("决议通过。" if resolution.passed else "决议未通过。")
        )
        if resolution.responsible_unit is not None:
            lines.append(f"责任单位:{resolution.responsible_unit.name}")
        if resolution.due_date is not None:
            lines.append(f"办理期限:{date_label(resolution.due_date)}前")
    lines.append("")
    lines.append("公示期内如有异议,请通过公示页面提出或向村(社区)反映。")
    return draft_title(f"{meeting.title}决议公示"), "\n".join(lines)


def _load(user: Any, pk: Any) -> Meeting:
    return get_in_scope_or_404(Meeting.objects.select_related("node", "host_village"), user, pk=pk)


def _refusal(_kind: str, meeting: Meeting) -> DomainError | None:
    if meeting.state != State.CLOSED:
        return DomainError("meeting_open", "会议结束后才能公示决议。", field="meeting")
    if not meeting.agenda.filter(resolution__isnull=False).exists():
        return DomainError("no_resolutions", "这次会议没有形成决议,无需公示。", field="meeting")
    return None


def _basis(_kind: str, meeting: Meeting) -> tuple[datetime.date | None, str]:
    """A meeting's resolutions are not published before it closed."""
    if meeting.closed_at:
        return timezone.localdate(meeting.closed_at), "会议结束"
    return None, ""


def _progress(meeting: Meeting) -> tuple[int, list[Step]]:
    steps = [Step(timezone.localdate(meeting.starts_at), "召开会议", meeting.title)]
    if meeting.closed_at:
        steps.append(Step(timezone.localdate(meeting.closed_at), "形成决议"))
    percents = []
    agenda = meeting.agenda.select_related("resolution", "matter", "matter__category", "matter__category__parent")
    for item in agenda.order_by("position"):
        resolution = getattr(item, "resolution", None)
        if resolution is None:
            continue
        if item.matter is not None:
            percents.append(matter_progress(item.matter))
            if item.matter.resolved_at:
                # A matter in a sensitive category is done, but not named (ADR 0018).
                category = item.matter.category
                title = "" if category is not None and category.is_sensitive else item.title
                steps.append(Step(timezone.localdate(item.matter.resolved_at), "办结", title))
        else:
            percents.append(100 if meeting.closed_at else 0)
    return (round(sum(percents) / len(percents)) if percents else 100), steps


def _percents(publications: list[Any]) -> dict[int, int]:
    """The resolutions of all the meetings at once (one query)."""
    meeting_ids = {p.meeting_id for p in publications if p.meeting_id}
    by_meeting: dict[int, list[int]] = {}
    if meeting_ids:
        items = AgendaItem.objects.filter(meeting_id__in=meeting_ids, resolution__isnull=False).select_related(
            "matter", "meeting"
        )
        for item in items:
            done = matter_progress(item.matter) if item.matter else (100 if item.meeting.closed_at else 0)
            by_meeting.setdefault(item.meeting_id, []).append(done)
    result = {}
    for publication in publications:
        if publication.meeting_id:
            values = by_meeting.get(publication.meeting_id, [])
            result[publication.pk] = round(sum(values) / len(values)) if values else 100
    return result


MEETING_SOURCE = PublicationSource(
    field="meeting",
    kinds=(RESOLUTION,),
    what="议事会议",
    missing=("meeting_required", "请选择要公示决议的会议。"),
    load=_load,
    refusal=_refusal,
    node=lambda meeting: meeting.node,
    label=lambda meeting: meeting.title,
    url=lambda meeting: reverse("deliberation:meeting", args=[meeting.pk]),
    basis=_basis,
    progress=_progress,
    percents=_percents,
    draft=lambda _kind, meeting: resolution_draft(meeting),
    candidates=lambda: (
        Meeting.objects.filter(state=State.CLOSED, agenda__resolution__isnull=False)
        .select_related("node")
        .distinct()
        .order_by("-closed_at")
    ),
)
