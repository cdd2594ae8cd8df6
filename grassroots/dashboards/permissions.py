"""Who may open a dashboard: VIEW_DASHBOARD (grid workers, village and
subdistrict staff, the window). Which panels appear is decided per panel by
the capability of the app behind it (selectors.dashboard_for); which node by
jurisdiction (a node outside the subtree answers 404)."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability


def can_view(user: Any) -> bool:
    return user_can(user, Capability.VIEW_DASHBOARD)
