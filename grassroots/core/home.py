"""Panels of the staff home page (工作台). An app with something to show
there registers a panel in its `AppConfig.ready()`; the home page shows, in
order, the panels the user may see. Core knows no app: each panel brings its
own test of who sees it, its context and its template (ADR 0032)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class HomePanel:
    name: str
    # Included in the home page, which holds the panel's context.
    template: str
    shown_to: Callable[[Any], bool]
    # The page context the panel adds for a user it is shown to …
    context: Callable[[Any], Mapping[str, object]]
    # … and for anybody else.
    empty: Mapping[str, object] = field(default_factory=dict)
    order: int = 100
    # The panel is the user's work even without a jurisdiction (the service
    # window): the home page then does not ask for one.
    without_jurisdiction: bool = False


_PANELS: dict[str, HomePanel] = {}


def register_home_panel(panel: HomePanel) -> None:
    """Register (or, by the same name, replace) a panel."""
    _PANELS[panel.name] = panel


def home_context_for(user: Any) -> dict[str, object]:
    """The home page's context from the panels: `panels` (the templates to
    include, in order), `without_jurisdiction`, and each panel's own entries."""
    context: dict[str, object] = {}
    templates: list[str] = []
    without_jurisdiction = False
    for panel in sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.name)):
        if panel.shown_to(user):
            context.update(panel.context(user))
            templates.append(panel.template)
            without_jurisdiction = without_jurisdiction or panel.without_jurisdiction
        else:
            context.update(panel.empty)
    return {**context, "panels": templates, "without_jurisdiction": without_jurisdiction}
