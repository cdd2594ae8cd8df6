"""Reads for 晒事: what staff see (scoped) and what the public sees
(published or ended only, no personal data), plus each publication's
progress (percentage and timeline) derived from its source."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from grassroots.core.scoping import get_in_scope_or_404, scope_queryset, user_scope_path
from grassroots.core.search import search_matches
from grassroots.regions.models import Level, Node

from .models import VISIBLE_STATES, Kind, Objection, Publication, PublicationEvent, State
from .registry import Step, source_for, source_object
from .services import SEARCH_TYPE
from .states import Action


def publications_visible_to(*, user: Any) -> QuerySet[Publication]:
    return scope_queryset(Publication.objects.select_related("node", "matter", "meeting", "appraisal"), user)


def publication_get_visible(*, user: Any, pk: Any) -> Publication:
    return get_in_scope_or_404(publications_visible_to(user=user), user, pk=pk)


def publication_events(*, publication: Publication) -> list[PublicationEvent]:
    """The publication's record: published, ended, withdrawn and why, by
    whom (the nightly job has no actor) and when (oldest first)."""
    events = list(
        PublicationEvent.objects.filter(publication=publication).select_related("actor").order_by("created_at", "id")
    )
    for event in events:
        event.label = str(Action(event.action).label) if event.action in Action.values else event.action  # type: ignore[attr-defined]
    return events


def search_filter(rows: QuerySet[Publication], query: str, *, path_prefix: str | None = None) -> QuerySet[Publication]:
    """Rows whose title, content or matter number contain the query, through
    the bigram index (ADR 0007) rather than a LIKE scan over every notice.
    The search is a subquery of `rows`, so no match is cut before the
    caller's other filters apply."""
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


def _local(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _source_steps(publication: Publication) -> tuple[int, list[Step]]:
    """The source's own progress (ADR 0033); a matter's timeline also lists
    its visible publications."""
    source = source_for(publication.kind)
    obj = source_object(publication, source)
    if source is None or obj is None:
        return 100, []
    percent, steps = source.progress(obj)
    if source.with_notices:
        others = Publication.objects.filter(**{source.field: obj}, state__in=VISIBLE_STATES).order_by("starts_on", "id")
        steps = steps + [Step(other.starts_on, f"{Kind(other.kind).label}公示") for other in others if other.starts_on]
    steps.sort(key=lambda s: s.day)
    return percent, steps


def progress(publication: Publication) -> tuple[int, list[Step]]:
    """(percentage done, timeline oldest first) for the public detail page.
    Steps carry only dates, stage names and staff-written titles: never a
    person's name."""
    percent, steps = _source_steps(publication)
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
    and lists show many at once): each source reads all of its own at once."""
    by_kind: dict[str, list[Publication]] = {}
    for publication in publications:
        by_kind.setdefault(publication.kind, []).append(publication)
    result = {publication.pk: 100 for publication in publications}
    for kind, rows in by_kind.items():
        source = source_for(kind)
        if source is not None:
            result.update(source.percents(rows))
    return result


def objections_of(*, publication: Publication) -> QuerySet[Objection]:
    """The residents' objections to a publication (each filed as a matter), newest first."""
    return publication.objections.select_related("matter").order_by("-created_at", "-id")


def publications_for_api(*, user: Any) -> QuerySet[Publication]:
    """The API's publications of the user's subtree, with who made, published
    and withdrew them and their number of objections."""
    return (
        publications_visible_to(user=user)
        .select_related("created_by", "published_by", "withdrawn_by")
        .annotate(objection_count=Count("objections"))
    )


def publication_api_list(*, user: Any, state: str = "", kind: str = "", query: str = "") -> QuerySet[Publication]:
    """`publications_for_api` filtered by state, kind and search text, drafts
    (no start yet) first, then the latest start."""
    rows = publications_for_api(user=user)
    if state:
        rows = rows.filter(state=state)
    if kind:
        rows = rows.filter(kind=kind)
    rows = search_filter(rows, query, path_prefix=user_scope_path(user) or None)
    return rows.order_by(F("starts_on").desc(nulls_first=True), "-id")


# --- The public portal and the LED boards --------------------------------------------

# The portal's status filter: in its period now, or over.
STATUS_CURRENT = "current"
STATUS_ENDED = "ended"


def public_filter(
    rows: QuerySet[Publication], *, today: datetime.date, query: str = "", kind: str = "", status: str = ""
) -> QuerySet[Publication]:
    """Public rows narrowed by search text, kind and status (`STATUS_CURRENT`
    or `STATUS_ENDED`; anything else is no filter)."""
    if query:
        rows = search_filter(rows, query)
    if kind:
        rows = rows.filter(kind=kind)
    if status == STATUS_CURRENT:
        rows = rows.filter(state=State.PUBLISHED, starts_on__lte=today, ends_on__gte=today)
    elif status == STATUS_ENDED:
        rows = rows.filter(Q(state=State.ENDED) | Q(state=State.PUBLISHED, ends_on__lt=today))
    return rows


def village_by_id(pk: Any) -> Node | None:
    """The village or community with this id, or None."""
    return Node.objects.filter(pk=pk, level=Level.VILLAGE).first()


def villages_by_path(paths: set[str]) -> dict[str, Node]:
    """The villages among the nodes at `paths`, by path (one query)."""
    return {n.path: n for n in Node.objects.filter(path__in=paths, level=Level.VILLAGE)}


def places_by_path(paths: set[str]) -> dict[str, Node]:
    """The subdistricts and villages among the nodes at `paths`, by path, with
    only what their label needs (one query)."""
    return {
        node.path: node
        for node in Node.objects.filter(path__in=paths, level__in=[Level.SUBDISTRICT, Level.VILLAGE]).only(
            "path", "name", "short_name", "level"
        )
    }


def objection_by_key(*, publication: Publication, key: str) -> Objection | None:
    """The objection an earlier submit with this key filed (a double submit or a retry)."""
    return Objection.objects.filter(matter__idempotency_key=key, publication=publication).first()
