"""The publication-source protocol (ADR 0033). 晒事 (publicity) publishes a
matter's plan and result, a meeting's resolutions and an appraisal session's
results, yet imports none of those apps: each of them describes its objects
as a `PublicationSource` and registers it in its AppConfig.ready(), and
publicity looks the source up by the publication's kind. An objection a
resident raises against a publication becomes a matter through the
`ObjectionIntake` matters registers here. The other way round, matters
publishes a plan or result and checks what residents can see through the
`Publisher` publicity registers here.

The registry lives in core, not in publicity, because matters sits below
publicity in the layers (matters may not import publicity) while publicity
may import none of its sources: core is the only place both can reach.
Core itself knows no app: it holds callables and never imports them."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .errors import DomainError

__all__ = [
    "ObjectionIntake",
    "PublicationSource",
    "Publisher",
    "Step",
    "objection_intake",
    "publisher",
    "register_objection_intake",
    "register_publisher",
    "register_source",
    "source_for",
    "sources",
]


@dataclass(frozen=True)
class Step:
    """One stage of a source's progress as residents read it: a date, a
    stage name and maybe a staff-written title, never a person's name."""

    day: datetime.date
    title: str
    text: str = ""


def _no_number(_obj: Any) -> str:
    return ""


@dataclass(frozen=True)
class PublicationSource:
    """How publicity deals with one kind of source object.

    `field` names the Publication's foreign key to it ("matter", "meeting",
    "appraisal"), `kinds` the publication kinds it serves. The callables:
    `load(user, pk)` the object in the user's scope (404 otherwise);
    `refusal(kind, obj)` why it cannot be published now (None when it can);
    `node(obj)` where its publications are shown; `label(obj)` and `url(obj)`
    for the staff pages; `basis(kind, obj)` the earliest day a period may
    start and what that day is; `progress(obj)` its percentage done and its
    steps; `percents(objs)` the percentages of many at once, by pk, in a fixed
    number of queries; `draft(kind, obj)` a (title, content) draft staff
    review before publishing; `candidates()` the objects that have something
    to publish, newest first (the demo draws on them);
    `number(obj)` extra searchable text; `after(obj, actor, text, data)` what
    to do after a publication of it was published or withdrawn (e.g. write
    on the matter's timeline). `missing` is the (code, message) when a
    publication names no object, `with_notices` whether its timeline lists
    its own publications."""

    field: str
    kinds: tuple[str, ...]
    what: str
    missing: tuple[str, str]
    load: Callable[[Any, Any], Any]
    refusal: Callable[[str, Any], DomainError | None]
    node: Callable[[Any], Any]
    label: Callable[[Any], str]
    url: Callable[[Any], str]
    basis: Callable[[str, Any], tuple[datetime.date | None, str]]
    progress: Callable[[Any], tuple[int, list[Step]]]
    percents: Callable[[list[Any]], dict[int, int]]
    draft: Callable[[str, Any], tuple[str, str]]
    candidates: Callable[[], QuerySet[Any]]
    number: Callable[[Any], str] = dataclasses.field(default=_no_number)
    after: Callable[[Any, Any, str, dict[str, Any]], None] | None = None
    with_notices: bool = False


@dataclass(frozen=True)
class ObjectionIntake:
    """How an objection becomes a matter. `create(...)` takes node, title,
    description, reporter_name, reporter_phone, touches_collective,
    channel_detail and idempotency_key (keywords) and answers (matter,
    created); `code(matter)` is its tracking code as residents read it,
    `number(matter)` its number, `staff_url(matter)` and `status_url(matter)`
    its staff and public pages."""

    create: Callable[..., tuple[Any, bool]]
    code: Callable[[Any], str]
    number: Callable[[Any], str]
    staff_url: Callable[[Any], str]
    status_url: Callable[[Any], str]


@dataclass(frozen=True)
class Publisher:
    """What a source app may ask of publicity (registered by publicity's
    AppConfig.ready()). `publish(actor=, kind=, title=, content=, channels=,
    starts_on=, ends_on=, **{field: obj})` publishes at once and answers the
    publication (domain errors as publicity raises them); `kinds` and
    `channels` are (value, label) pairs; `visible_states` are the states
    residents see (what counts as published)."""

    publish: Callable[..., Any]
    kinds: tuple[tuple[str, str], ...]
    channels: tuple[tuple[str, str], ...]
    visible_states: tuple[str, ...]

    def kind_label(self, kind: str) -> str:
        return dict(self.kinds).get(kind, kind)


_SOURCES: dict[str, PublicationSource] = {}
_INTAKE: list[ObjectionIntake] = []
_PUBLISHER: list[Publisher] = []


def register_source(source: PublicationSource) -> None:
    """Called from the source app's AppConfig.ready(); registering the same
    field again replaces it (tests, autoreload)."""
    for kind in source.kinds:
        current = _SOURCES.get(kind)
        if current is not None and current.field != source.field:
            raise ValueError(f"publication kind {kind!r} already has a source ({current.field})")
        _SOURCES[kind] = source


def source_for(kind: str) -> PublicationSource | None:
    """The source of a publication kind (None for kinds without one, e.g. the red/yellow list)."""
    return _SOURCES.get(kind)


def sources() -> Iterable[PublicationSource]:
    seen: dict[str, PublicationSource] = {}
    for source in _SOURCES.values():
        seen.setdefault(source.field, source)
    return list(seen.values())


def register_objection_intake(intake: ObjectionIntake) -> None:
    _INTAKE[:] = [intake]


def objection_intake() -> ObjectionIntake:
    if not _INTAKE:
        raise LookupError("no objection intake registered (matters' AppConfig.ready() registers it)")
    return _INTAKE[0]


def register_publisher(value: Publisher) -> None:
    _PUBLISHER[:] = [value]


def publisher() -> Publisher:
    if not _PUBLISHER:
        raise LookupError("no publisher registered (publicity's AppConfig.ready() registers it)")
    return _PUBLISHER[0]
