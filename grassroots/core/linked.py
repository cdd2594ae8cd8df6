"""Linked work shown on a matter (ADR 0039). An app above matters whose work
can grow out of a matter (a safety hazard from a resident's report, …)
registers a `LinkedWork` in its AppConfig.ready(): the matter's staff page
then shows that app's linked items and action links, and the resident's
tracking page its coarse progress lines. Anys never imports such an app,
and core knows neither (a matter is `Any` here); each provider brings its
own test of who may see or do what."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LinkedItem:
    """One piece of linked work on the staff page."""

    kind: str  # "安全隐患"
    title: str
    state: str  # the state's label
    badge: str = "text-bg-secondary"
    url: str = ""  # empty: the user may not open it
    detail: str = ""  # a short line under the title (deadline, notice number …)
    testid: str = "linked-item"


@dataclass(frozen=True)
class LinkedAction:
    """A link to start linked work from the matter (a page of the provider)."""

    label: str
    url: str
    icon: str = "bi-link-45deg"
    testid: str = "linked-action"


@dataclass(frozen=True)
class LinkedWork:
    name: str
    # What staff see: the linked items and the actions this user may take.
    items: Callable[[Any, Any], list[LinkedItem]]
    actions: Callable[[Any, Any], list[LinkedAction]]
    # What the resident's tracking page may show: coarse progress lines, no
    # names, places below the matter's own, numbers or internal notes.
    public: Callable[[Any], list[str]]
    order: int = 100


_WORK: dict[str, LinkedWork] = {}


def register_linked_work(work: LinkedWork) -> None:
    """Register (or, by the same name, replace) a provider."""
    _WORK[work.name] = work


def _providers() -> list[LinkedWork]:
    return sorted(_WORK.values(), key=lambda work: (work.order, work.name))


def linked_for_staff(matter: Any, user: Any) -> tuple[list[LinkedItem], list[LinkedAction]]:
    """The linked items and the actions for a staff user, in provider order."""
    items: list[LinkedItem] = []
    actions: list[LinkedAction] = []
    for work in _providers():
        items.extend(work.items(matter, user))
        actions.extend(work.actions(matter, user))
    return items, actions


def linked_for_public(matter: Any) -> list[str]:
    """The coarse progress lines of linked work for the tracking page."""
    return [line for work in _providers() for line in work.public(matter)]
