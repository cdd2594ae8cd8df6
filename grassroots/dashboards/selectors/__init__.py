"""What a dashboard shows and for which node (ADR 0048). A user's dashboard
is their own node's (the subdistrict's, a village's, a grid's); a node below
it opens by its id, and a node outside the user's subtree answers 404. Each
panel is read through the owning app's selectors, only for users whose role
may see that app (a panel the role may not see is left out, never zeroed)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.scoping import get_in_scope_or_404, user_scope_path
from grassroots.regions.models import Level, Node

from ..errors import DashboardError
from .matters import MattersPanel, matters_panel
from .work import (
    AddressesPanel,
    CarePanel,
    IndicatorsPanel,
    KeyVillagesPanel,
    MediationPanel,
    RegistrationPanel,
    RelocationPanel,
    SafetyPanel,
    addresses_panel,
    care_panel,
    indicators_panel,
    key_villages_panel,
    mediation_panel,
    registration_panel,
    relocation_panel,
    safety_panel,
)

__all__ = [
    "DASHBOARD_LEVELS",
    "TREND_SPANS",
    "Dashboard",
    "dashboard_for",
    "dashboard_node",
    "node_ancestors",
]

DASHBOARD_LEVELS = (Level.SUBDISTRICT, Level.VILLAGE, Level.GRID)
TREND_SPANS = (30, 90)


@dataclass(frozen=True)
class Dashboard:
    node: Node | None
    today: datetime.date
    days: int
    matters: MattersPanel | None = None
    key_villages: KeyVillagesPanel | None = None
    mediation: MediationPanel | None = None
    registration: RegistrationPanel | None = None
    safety: SafetyPanel | None = None
    addresses: AddressesPanel | None = None
    relocation: RelocationPanel | None = None
    care: CarePanel | None = None
    indicators: IndicatorsPanel | None = None

    @property
    def panels(self) -> list[str]:
        names = (
            "matters",
            "key_villages",
            "mediation",
            "registration",
            "safety",
            "addresses",
            "relocation",
            "care",
            "indicators",
        )
        return [name for name in names if getattr(self, name) is not None]


def _dashboard_nodes() -> QuerySet[Node]:
    return Node.objects.filter(level__in=DASHBOARD_LEVELS)


def dashboard_node(*, user: Any, pk: Any = None) -> Node | None:
    """The node whose dashboard `user` sees: their own (a superuser without one:
    the first subdistrict), or node `pk` of their subtree (404 outside it).
    None: a user without a jurisdiction (the window staff: registration only)."""
    if pk is not None:
        return get_in_scope_or_404(_dashboard_nodes(), user, pk=pk)
    node: Node | None = user.jurisdiction
    if node is None and user_scope_path(user) == "":
        return _dashboard_nodes().filter(level=Level.SUBDISTRICT).order_by("path").first()
    return node


def node_ancestors(*, user: Any, node: Node) -> list[Node]:
    """The nodes between the user's own node and `node` (for the breadcrumb),
    top first, `node` excluded; only those the user may open."""
    prefix = user_scope_path(user)
    if prefix is None:
        return []
    paths = [node.path[:i] for i in range(Node.steplen, len(node.path), Node.steplen)]
    paths = [p for p in paths if p.startswith(prefix)]
    return list(_dashboard_nodes().filter(path__in=paths).order_by("path"))


def dashboard_for(*, user: Any, node: Node | None, days: int = 30, today: datetime.date | None = None) -> Dashboard:
    """Every panel `user` may see for `node`'s subtree (the caller found `node`
    with `dashboard_node`); `days` is the span of the matter trend (30 or 90)."""
    if days not in TREND_SPANS:
        raise DashboardError("bad_days", "趋势区间只能是近 30 天或近 90 天。", field="days")
    today = today or timezone.localdate()
    panels: dict[str, Any] = {}
    if user_can(user, Capability.WINDOW_WORK):
        panels["registration"] = registration_panel(today=today)
    if node is not None:
        if user_can(user, Capability.VIEW_MATTERS):
            panels["matters"] = matters_panel(node=node, days=days, today=today)
        if user_can(user, Capability.JOINT_MEETING) and node.level != Level.GRID:
            panels["key_villages"] = key_villages_panel(node=node, today=today)
        if user_can(user, Capability.MEDIATE) or user_can(user, Capability.MANAGE_MEDIATION):
            panels["mediation"] = mediation_panel(user=user, node=node)
        if user_can(user, Capability.VIEW_SAFETY):
            panels["safety"] = safety_panel(user=user, node=node, today=today)
        if user_can(user, Capability.VIEW_ADDRESSES):
            panels["addresses"] = addresses_panel(user=user, node=node)
        if user_can(user, Capability.VIEW_RELOCATION):
            panels["relocation"] = relocation_panel(user=user, node=node)
        if user_can(user, Capability.VIEW_CARE):
            panels["care"] = care_panel(user=user, node=node, today=today)
        if user_can(user, Capability.VIEW_INDICATORS) and node.level != Level.GRID:
            panels["indicators"] = indicators_panel(node=node)
    return Dashboard(node=node, today=today, days=days, **panels)
