"""Topics other apps offer to the weekly joint meeting (党政联席会议, ADR 0045).
The joint meeting takes its agenda from the matters on the joint-meeting
list (`joint_meeting_requested_at`); an app that sees a problem worth the
meeting (economy: a village whose income lags its projection, a plan waiting
for a decision, a stalled key project) offers it as a `Topic`, and staff put
it on the list from the joint meeting's page: the app's `take` creates or
finds the matter, and matters flags it. Apps register a `TopicSource` in
their AppConfig.ready(); matters imports none of them.

`topics(user)` answers the topics in the user's subtree, in a fixed number
of queries; `take(actor, key)` answers the matter for a topic key (created
in the actor's or the system's name, found again when taken twice), or raises
a DomainError (404 for a key the actor may not see)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from grassroots.core.errors import NotFound

__all__ = ["Topic", "TopicSource", "register_topic_source", "topic_source", "topic_sources"]


@dataclass(frozen=True)
class Topic:
    """One topic: `key` is unique within its source; `matter` the matter that
    already carries it (None when taking it creates one); `listed` whether
    that matter is on the joint-meeting list already."""

    key: str
    title: str
    reason: str
    place: str
    kind: str
    matter: Any = None
    listed: bool = False


@dataclass(frozen=True)
class TopicSource:
    code: str
    label: str
    topics: Callable[[Any], list[Topic]]
    take: Callable[[Any, str], Any]


_SOURCES: dict[str, TopicSource] = {}


def register_topic_source(source: TopicSource) -> None:
    _SOURCES[source.code] = source


def topic_sources() -> list[TopicSource]:
    return list(_SOURCES.values())


def topic_source(code: str) -> TopicSource:
    try:
        return _SOURCES[code]
    except KeyError:
        raise NotFound("未找到该议题来源。") from None
