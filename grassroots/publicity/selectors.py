"""Reads for 晒事: what staff see (scoped) and what the public sees
(published or ended only, no personal data), plus each publication's
progress (percentage and timeline) derived from its source."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots.core.scoping import get_in_scope_or_404, scope_queryset
from grassroots.core.search import search_matches
from grassroots.regions.models import Level, Node

from .models import VISIBLE_STATES, Kind, Publication, State

# A matter's progress by state, as residents read it (0–100).
MATTER_PROGRESS = {
    "reported": 10,
    "accepted": 25,
    "deliberating": 40,
    "handling": 60,
    "resolved": 90,
    "closed": 100,
}


def publications_visible_to(*, user: Any) -> QuerySet[Publication]:
    return scope_queryset(Publication.objects.select_related("node", "matter", "meeting", "appraisal"), user)


def publication_get_visible(*, user: Any, pk: Any) -> Publication:
    return get_in_scope_or_404(publications_visible_to(user=user), user, pk=pk)


def search_filter(rows: QuerySet[Publication], query: str, *, path_prefix: str | None = None) -> QuerySet[Publication]:
    """Rows whose title, content or matter number contain the query, through
    the bigram index (ADR 0007) rather than a LIKE scan over every notice.
    The search is a subquery of `rows`, so no match is cut before the
    caller's other filters apply."""
    from .services import SEARCH_TYPE

    query = (query or "").strip()
    if not query:
        return rows
    return rows.filter(pk__in=search_matches(query=query, obj_type=SEARCH_TYPE, path_prefix=path_prefix))


def public_publications(*, village: Node | None = None, within: Node | None = None) -> QuerySet[Publication]:
    """Published and ended publications; for a village, its own and those of
    its subdistrict (a red/yellow list concerns every village); `within`
    keeps those under one township."""
    rows = Publication.objects.filter(state__in=VISIBLE_STATES).select_related("node", "matter")
    if within is not None:
        rows = rows.filter(path__startswith=within.path)
    if village is not None:
        prefixes = [village.path[:end] for end in range(Node.steplen, len(village.path), Node.steplen)]
        rows = rows.filter(Q(path__startswith=village.path) | Q(path__in=prefixes))
    return rows.order_by("-starts_on", "-id")


def public_current(*, village: Node, today: datetime.date | None = None) -> list[Publication]:
    """What a village's LED board rotates: in their period today, newest first."""
    today = today or timezone.localdate()
    return list(
        public_publications(village=village).filter(state=State.PUBLISHED, starts_on__lte=today, ends_on__gte=today)
    )


def public_get(*, pk: Any) -> Publication | None:
    try:
        return public_publications().select_related("matter", "meeting", "appraisal").get(pk=int(pk))
    except (Publication.DoesNotExist, ValueError, TypeError):
        return None


def public_withdrawn(*, pk: Any) -> Publication | None:
    """A withdrawn publication, for the page that tells a resident who
    followed an old link or QR code that it was taken down, when and why."""
    try:
        return Publication.objects.select_related("node").get(pk=int(pk), state=State.WITHDRAWN)
    except (Publication.DoesNotExist, ValueError, TypeError):
        return None


def village_of(node: Node) -> Node | None:
    """The village/community a node belongs to (itself when it is one)."""
    if node.level == Level.VILLAGE:
        return node
    if node.level < Level.VILLAGE:
        return None
    prefixes = [node.path[:end] for end in range(Node.steplen, len(node.path), Node.steplen)]
    return Node.objects.filter(path__in=prefixes, level=Level.VILLAGE).first()


@dataclass(frozen=True)
class Step:
    day: datetime.date
    title: str
    text: str = ""


def _local(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _matter_steps(publication: Publication) -> tuple[int, list[Step]]:
    from grassroots.matters.models import EventKind
    from grassroots.matters.states import State as MatterState

    matter = publication.matter
    assert matter is not None
    steps = [Step(timezone.localdate(matter.created_at), "群众反映")]
    for event in matter.events.filter(public=True, kind=EventKind.TRANSITION).order_by("created_at", "id"):
        if event.to_state in MatterState.values:
            steps.append(Step(timezone.localdate(event.created_at), str(MatterState(event.to_state).label)))
    for other in matter.publications.filter(state__in=VISIBLE_STATES).order_by("starts_on", "id"):
        if other.starts_on:
            steps.append(Step(other.starts_on, f"{Kind(other.kind).label}公示"))
    steps.sort(key=lambda s: s.day)
    return MATTER_PROGRESS.get(matter.state, 0), steps


def _meeting_steps(publication: Publication) -> tuple[int, list[Step]]:
    meeting = publication.meeting
    assert meeting is not None
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
            percents.append(MATTER_PROGRESS.get(item.matter.state, 0))
            if item.matter.resolved_at:
                # A matter in a sensitive category is done, but not named (ADR 0018).
                category = item.matter.category
                title = "" if category is not None and category.is_sensitive else item.title
                steps.append(Step(timezone.localdate(item.matter.resolved_at), "办结", title))
        else:
            percents.append(100 if meeting.closed_at else 0)
    steps.sort(key=lambda s: s.day)
    return (round(sum(percents) / len(percents)) if percents else 100), steps


def _appraisal_steps(publication: Publication) -> tuple[int, list[Step]]:
    session = publication.appraisal
    assert session is not None
    steps = [Step(timezone.localdate(session.created_at), "发起评议", f"{session.month:%Y年%m月}")]
    if session.frozen_at:
        steps.append(Step(timezone.localdate(session.frozen_at), "确定评议对象和代表"))
    if session.closed_at:
        steps.append(Step(timezone.localdate(session.closed_at), "投票结束、公布结果"))
    return 100, steps


def progress(publication: Publication) -> tuple[int, list[Step]]:
    """(percentage done, timeline oldest first) for the public detail page.
    Steps carry only dates, stage names and staff-written titles: never a
    person's name."""
    if publication.kind in (Kind.PLAN, Kind.RESULT) and publication.matter_id:
        percent, steps = _matter_steps(publication)
    elif publication.kind == Kind.RESOLUTION and publication.meeting_id:
        percent, steps = _meeting_steps(publication)
    elif publication.kind == Kind.APPRAISAL and publication.appraisal_id:
        percent, steps = _appraisal_steps(publication)
    else:
        percent, steps = 100, []
    published = _local(publication.published_at)
    if publication.starts_on and not any(s.title.endswith("公示") for s in steps):
        steps.append(Step(publication.starts_on, "公示开始"))
    elif published and not steps:
        steps.append(Step(published, "公示开始"))
    if publication.ends_on:
        steps.append(
            Step(publication.ends_on, "公示期满" if publication.ends_on < timezone.localdate() else "公示截止")
        )
    steps.sort(key=lambda s: s.day)
    return percent, steps


def percents(publications: list[Publication]) -> dict[int, int]:
    """Each publication's progress percentage, as progress() computes it but
    without the timelines and in a fixed number of queries (LED boards, feeds
    and lists show many at once): matter states come with the rows
    (select_related), a meeting's resolutions are read for all meetings at once."""
    from grassroots.deliberation.models import AgendaItem

    result: dict[int, int] = {}
    meeting_ids = {p.meeting_id for p in publications if p.kind == Kind.RESOLUTION and p.meeting_id}
    by_meeting: dict[int, list[int]] = {}
    if meeting_ids:
        items = AgendaItem.objects.filter(meeting_id__in=meeting_ids, resolution__isnull=False).select_related(
            "matter", "meeting"
        )
        for item in items:
            done = MATTER_PROGRESS.get(item.matter.state, 0) if item.matter else (100 if item.meeting.closed_at else 0)
            by_meeting.setdefault(item.meeting_id, []).append(done)
    for publication in publications:
        if publication.kind in (Kind.PLAN, Kind.RESULT) and publication.matter is not None:
            result[publication.pk] = MATTER_PROGRESS.get(publication.matter.state, 0)
        elif publication.kind == Kind.RESOLUTION and publication.meeting_id:
            values = by_meeting.get(publication.meeting_id, [])
            result[publication.pk] = round(sum(values) / len(values)) if values else 100
        else:
            result[publication.pk] = 100
    return result
