"""The relocation worker's panel of the staff home page (ADR 0032, 0046):
their units by stage (one aggregate query) and the way to their phone page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.home import HomePanel

from . import selectors


def _context(user: Any) -> Mapping[str, object]:
    return {"relocation_mine": selectors.workers_counts(user=user)}


HOME_PANEL = HomePanel(
    name="relocation",
    template="relocation/_home_panel.html",
    shown_to=lambda user: user_can(user, Capability.WORK_ASSIGNED_RELOCATION),
    context=_context,
    empty={"relocation_mine": None},
    order=40,
)
