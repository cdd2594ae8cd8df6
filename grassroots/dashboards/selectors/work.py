"""The panels besides the matters one, each read through its app's own
selectors and narrowed to the dashboard's node: mediation by source, the
window's monthly throughput, inspections and hazards, addresses verified,
relocation signing, care-list coverage, indicators against last year and the
week's key villages. A fixed number of grouped queries per panel."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from grassroots.addresses.models import State as AddressState
from grassroots.addresses.selectors import addresses_visible_to
from grassroots.deliberation.selectors import weekly_picks, weekly_selection_of
from grassroots.deliberation.services.weekly import week_monday
from grassroots.indicators.selectors import Row as IndicatorRow
from grassroots.indicators.selectors import indicator_table, ledger_latest_month
from grassroots.livelihood.models import ListKind
from grassroots.livelihood.selectors import coverage, coverage_totals
from grassroots.mediation.models import Source
from grassroots.mediation.selectors import ACTIVE_STATES as MEDIATION_ACTIVE
from grassroots.mediation.selectors import cases_visible_to
from grassroots.regions.models import Level, Node
from grassroots.registration.selectors.stats import MonthThroughput, monthly_throughput
from grassroots.relocation.selectors import units_visible_to
from grassroots.relocation.selectors.progress import SIGNED, rate
from grassroots.safety.selectors.statistics import MonthRow, StatRow, safety_statistics


@dataclass(frozen=True)
class SourceRow:
    key: str
    label: str
    total: int
    active: int


@dataclass(frozen=True)
class MediationPanel:
    rows: list[SourceRow]

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)


def mediation_panel(*, user: Any, node: Node) -> MediationPanel:
    """Dispute cases under `node` by source (三源治理): all, and those still open."""
    counts = {
        row["source"]: row
        for row in cases_visible_to(user=user)
        .filter(path__startswith=node.path)
        .values("source")
        .annotate(total=Count("id"), active=Count("id", filter=Q(state__in=MEDIATION_ACTIVE)))
        .order_by()
    }
    return MediationPanel(
        rows=[
            SourceRow(
                key=key,
                label=str(label),
                total=int(counts.get(key, {}).get("total", 0)),
                active=int(counts.get(key, {}).get("active", 0)),
            )
            for key, label in Source.choices
        ]
    )


@dataclass(frozen=True)
class RegistrationPanel:
    months: list[MonthThroughput]


def registration_panel(*, today: datetime.date) -> RegistrationPanel:
    """The window's last twelve months: accepted and issued per month."""
    return RegistrationPanel(months=monthly_throughput(last_month=today.replace(day=1), months=12))


@dataclass(frozen=True)
class SafetyPanel:
    total: StatRow
    trend: list[MonthRow]


def safety_panel(*, user: Any, node: Node, today: datetime.date) -> SafetyPanel:
    """Inspections and hazards under `node` (all time) and the twelve-month trend."""
    stats = safety_statistics(user=user, node=node, today=today)
    return SafetyPanel(total=stats.total, trend=stats.trend)


@dataclass(frozen=True)
class AddressesPanel:
    total: int
    verified: int

    @property
    def percent(self) -> Decimal | None:
        return rate(self.verified, self.total)


def addresses_panel(*, user: Any, node: Node) -> AddressesPanel:
    """Standard addresses under `node` and those verified (已核验) by the subdistrict."""
    counts = (
        addresses_visible_to(user=user)
        .filter(path__startswith=node.path)
        .aggregate(total=Count("id"), verified=Count("id", filter=Q(state=AddressState.VERIFIED)))
    )
    return AddressesPanel(total=int(counts["total"] or 0), verified=int(counts["verified"] or 0))


@dataclass(frozen=True)
class ProjectRow:
    project_id: int
    name: str
    total: int
    signed: int

    @property
    def rate(self) -> Decimal | None:
        return rate(self.signed, self.total)


@dataclass(frozen=True)
class RelocationPanel:
    rows: list[ProjectRow]


def relocation_panel(*, user: Any, node: Node) -> RelocationPanel:
    """Units under `node` and those signed, per relocation project (one grouped query)."""
    rows = (
        units_visible_to(user=user)
        .filter(path__startswith=node.path)
        .values("project_id", "project__name")
        .annotate(total=Count("id"), signed=Count("id", filter=SIGNED))
        .order_by("project_id")
    )
    return RelocationPanel(
        rows=[ProjectRow(r["project_id"], r["project__name"], int(r["total"]), int(r["signed"])) for r in rows]
    )


@dataclass(frozen=True)
class CareCell:
    kind: str
    label: str
    visited: int
    due: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.visited / self.due) if self.due else None


@dataclass(frozen=True)
class CarePanel:
    month: datetime.date
    cells: list[CareCell]
    grid: Node | None  # the grid, on a grid's dashboard (its lists open directly)


def care_panel(*, user: Any, node: Node, today: datetime.date) -> CarePanel:
    """This month's care-list coverage (visited / due) over the grids under `node`."""
    month = today.replace(day=1)
    rows = [row for row in coverage(user=user, month=month) if row.grid.path.startswith(node.path)]
    totals = coverage_totals(rows)
    return CarePanel(
        month=month,
        cells=[CareCell(kind, str(ListKind(kind).label), c.visited, c.due) for kind, c in totals.items()],
        grid=node if node.level == Level.GRID else None,
    )


@dataclass(frozen=True)
class IndicatorsPanel:
    month: datetime.date | None
    rows: list[IndicatorRow]


def indicators_panel(*, node: Node) -> IndicatorsPanel:
    """The latest month's indicators of `node` (a subdistrict or village) with
    the cumulative figure and the change against the same period last year."""
    month = ledger_latest_month(node=node)
    if month is None:
        return IndicatorsPanel(month=None, rows=[])
    rows = [row for row in indicator_table(node=node, month=month) if row.value is not None]
    return IndicatorsPanel(month=month, rows=rows)


@dataclass(frozen=True)
class KeyVillagesPanel:
    week_start: datetime.date
    decided: bool
    villages: list[Node]


def key_villages_panel(*, node: Node, today: datetime.date) -> KeyVillagesPanel:
    """This week's key villages (办事: the weekly joint meeting) under `node`:
    those the subdistrict confirmed for the week, if it has."""
    week_start = week_monday(today)
    subdistrict = Node.objects.filter(level=Level.SUBDISTRICT, path=node.path[: Node.steplen]).first()
    selection = weekly_selection_of(subdistrict=subdistrict, week_start=week_start) if subdistrict else None
    _proposed, chosen = weekly_picks(selection=selection)
    villages = sorted((v for v in chosen if v.path.startswith(node.path)), key=lambda v: v.path)
    return KeyVillagesPanel(week_start=week_start, decided=bool(selection and chosen), villages=villages)
