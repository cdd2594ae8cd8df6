"""Category advice on the accept and intake forms (issue 17, ADR 0050).

Matters does not know how a category is suggested: an app above it (routing)
registers an `Advisor` in its `AppConfig.ready()`. Without one, or without a
trained model, the forms work as before and say that no suggestion exists.
Matters tells the advisor what staff finally chose when a matter is accepted,
inside the acceptance's transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..models import Category, Matter


@dataclass(frozen=True)
class CategoryOption:
    category_id: int
    label: str
    confidence: float
    unit: str
    deadline_days: int


@dataclass(frozen=True)
class MatterAdvice:
    options: list[CategoryOption] = field(default_factory=list)
    # The option to preselect: the top one when its confidence is high
    # enough; never a low-confidence one (shown as such, chosen by a person).
    preselect: int | None = None
    low_confidence: bool = False
    model_label: str = ""
    # Why there is no suggestion (no trained model yet), shown as a hint.
    hint: str = ""


class Advisor(Protocol):
    # Name of the URL the intake forms post their text to (htmx, debounced).
    suggest_url_name: str

    def advise(self, *, matter: Matter, actor: Any) -> MatterAdvice: ...

    def chosen(self, *, matter: Matter, category: Category, actor: Any) -> None: ...


_ADVISORS: list[Advisor] = []


def register_advisor(advisor: Advisor) -> None:
    """Register the advisor (one; registering again replaces it)."""
    _ADVISORS[:] = [advisor]


def current_advisor() -> Advisor | None:
    return _ADVISORS[0] if _ADVISORS else None


def matter_advice(*, matter: Matter, actor: Any) -> MatterAdvice | None:
    advisor = current_advisor()
    return advisor.advise(matter=matter, actor=actor) if advisor is not None else None


def advice_chosen(*, matter: Matter, category: Category, actor: Any) -> None:
    advisor = current_advisor()
    if advisor is not None:
        advisor.chosen(matter=matter, category=category, actor=actor)
