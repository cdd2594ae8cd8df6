"""Who else handled a matter (ADR 0045). A month's appraisal lists the
collective matters resolved in it and their handlers; the matter's assignee
is one, but an app whose object a matter carries may know more (economy: the
staff who drafted, decided and distributed a distribution plan). Such an app
registers a `MatterHandlers` callable here in its AppConfig.ready():
evaluation imports none of them.

A callable takes the matters being appraised and answers, by matter pk, the
staff users who handled it, in the order they acted; it must run a fixed
number of queries whatever the number of matters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

MatterHandlers = Callable[[Sequence[Any]], dict[int, list[Any]]]

_REGISTRY: list[MatterHandlers] = []


def register_matter_handlers(handlers: MatterHandlers) -> None:
    if handlers not in _REGISTRY:
        _REGISTRY.append(handlers)


def handlers_of(matters: Sequence[Any]) -> dict[int, list[Any]]:
    """Every registered app's handlers of `matters`, by matter pk, each user once."""
    found: dict[int, list[Any]] = {}
    for handlers in _REGISTRY:
        for pk, users in handlers(matters).items():
            row = found.setdefault(pk, [])
            row.extend(u for u in users if all(u.pk != seen.pk for seen in row))
    return found
