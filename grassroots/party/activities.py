"""The "activities" term of the 红黄榜 as a registry (ADR 0043): attendance
at activities is recorded by another app (livelihood's activity calendar),
which party must not depend on to exist. A provider answers, for the members
asked about, how many activities each attended in a period; the 红黄榜 sums
what every registered provider answers, and with no provider the term is
zero for everybody. A provider is registered by party's own
AppConfig.ready() (party sits above livelihood, so it may read livelihood's
selectors), never by the lower app importing party (the layers contract)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """A member as another app knows people: a resident record or a staff account."""

    member_id: int
    resident_id: int | None
    user_id: int | None


@dataclass(frozen=True)
class ActivityQuery:
    people: tuple[Person, ...]
    start: datetime.date  # first day of the period
    end: datetime.date  # first day after it


ActivityProvider = Callable[[ActivityQuery], dict[int, int]]  # member id → activities attended

_providers: dict[str, ActivityProvider] = {}


def register_activity_provider(name: str, provider: ActivityProvider) -> None:
    """Register (or replace, by `name`) one source of activity attendance."""
    _providers[name] = provider


def unregister_activity_provider(name: str) -> None:
    _providers.pop(name, None)


def activity_counts(query: ActivityQuery) -> dict[int, int]:
    """Activities attended per member id, summed over every provider (zero without one)."""
    totals: dict[int, int] = {}
    for provider in _providers.values():
        for member_id, count in provider(query).items():
            totals[member_id] = totals.get(member_id, 0) + int(count)
    return totals
