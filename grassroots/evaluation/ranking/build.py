"""评事考评排行 computation: every staff member's monthly results over the
rule's months, pooled and classified (see the package's docstring)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Prefetch

from grassroots.regions.models import Node

from ..models import AppraisalItem, AppraisalSession, ItemKind, RankingRule
from ..services.ballots import results_build
from ..states import State
from .rules import (
    NORMAL,
    RED,
    STATUS_CLASSES,
    STATUS_LABELS,
    UNRANKED,
    YELLOW,
    add_months,
    month_label,
    percent,
    period_label,
    rule_sentence,
)

# --- The computation ---------------------------------------------------------


@dataclass
class MonthCell:
    month: datetime.date
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0
    total: int = 0

    @property
    def has_result(self) -> bool:
        return self.total > 0

    @property
    def satisfaction(self) -> Decimal | None:
        return percent(2 * self.satisfied + self.basic, 2 * self.total) if self.total else None

    @property
    def unsatisfied_share(self) -> Decimal | None:
        return percent(self.unsatisfied, self.total) if self.total else None


@dataclass
class StaffRow:
    staff_id: int
    name: str
    villages: list[str]
    cells: list[MonthCell]
    status: str = UNRANKED
    reasons: list[str] = field(default_factory=list)

    @property
    def months_with_results(self) -> int:
        return sum(1 for c in self.cells if c.has_result)

    @property
    def satisfied(self) -> int:
        return sum(c.satisfied for c in self.cells)

    @property
    def basic(self) -> int:
        return sum(c.basic for c in self.cells)

    @property
    def unsatisfied(self) -> int:
        return sum(c.unsatisfied for c in self.cells)

    @property
    def ballots(self) -> int:
        return sum(c.total for c in self.cells)

    @property
    def score(self) -> Fraction | None:
        """Exact satisfaction in percent (for sorting)."""
        return Fraction(100 * (2 * self.satisfied + self.basic), 2 * self.ballots) if self.ballots else None

    @property
    def satisfaction(self) -> Decimal | None:
        return percent(2 * self.satisfied + self.basic, 2 * self.ballots) if self.ballots else None

    @property
    def worst_cell(self) -> MonthCell | None:
        with_results = [c for c in self.cells if c.has_result]
        if not with_results:
            return None
        return max(with_results, key=lambda c: (Fraction(c.unsatisfied, c.total), c.month))

    @property
    def worst_unsatisfied_share(self) -> Decimal | None:
        cell = self.worst_cell
        return cell.unsatisfied_share if cell else None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_class(self) -> str:
        return STATUS_CLASSES[self.status]

    @property
    def village_label(self) -> str:
        return "、".join(self.villages)


@dataclass
class Ranking:
    subdistrict: Node
    rule: RankingRule
    months: list[datetime.date]
    session_count: int
    red: list[StaffRow]
    yellow: list[StaffRow]
    normal: list[StaffRow]
    unranked: list[StaffRow]

    @property
    def start_month(self) -> datetime.date:
        return self.months[0]

    @property
    def end_month(self) -> datetime.date:
        return self.months[-1]

    @property
    def period_label(self) -> str:
        return period_label(self.start_month, self.end_month)

    @property
    def rule_sentence(self) -> str:
        return rule_sentence(self.rule)

    @property
    def rows(self) -> list[StaffRow]:
        """Everyone, list by list in the lists' order (the month-by-month table)."""
        return [*self.red, *self.yellow, *self.normal, *self.unranked]


def _classify(row: StaffRow, rule: RankingRule) -> None:
    if row.months_with_results < rule.min_months:
        row.status = UNRANKED
        return
    s2b, total = 2 * row.satisfied + row.basic, row.ballots
    reasons = []
    if s2b * 100 < rule.yellow_below * 2 * total:
        reasons.append(f"满意度低于 {rule.yellow_below}%")
    over = [c for c in row.cells if c.has_result and c.unsatisfied * 100 >= rule.unsatisfied_share_max * c.total]
    if over:
        shares = []
        for i, cell in enumerate(over):
            same_year = i > 0 and over[i - 1].month.year == cell.month.year
            label = f"{cell.month.month}月" if same_year else month_label(cell.month)
            shares.append(f"{label} {cell.unsatisfied_share}%")
        reasons.append(f"单月不满意票占比 ≥ {rule.unsatisfied_share_max}%({'、'.join(shares)})")
    if reasons:
        row.status, row.reasons = YELLOW, reasons
    elif s2b * 100 >= rule.red_min * 2 * total:
        row.status = RED
    else:
        row.status = NORMAL


def closed_sessions(*, subdistrict: Node, start: datetime.date, end: datetime.date) -> Any:
    return (
        AppraisalSession.objects.filter(
            path__startswith=subdistrict.path, state=State.CLOSED, month__gte=start, month__lte=end
        )
        .select_related("village")
        .prefetch_related(
            Prefetch("items", queryset=AppraisalItem.objects.select_related("staff")),
            "ballots",
        )
        .order_by("month", "path")
    )


def ranking_build(*, subdistrict: Node, end_month: datetime.date, rule: RankingRule) -> Ranking:
    end_month = end_month.replace(day=1)
    months = [add_months(end_month, -i) for i in range(rule.months - 1, -1, -1)]
    sessions = list(closed_sessions(subdistrict=subdistrict, start=months[0], end=end_month))
    index = {m: i for i, m in enumerate(months)}
    rows: dict[int, StaffRow] = {}
    names: dict[int, tuple[datetime.date, str]] = {}
    villages: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for session in sessions:
        for result in results_build(session=session):
            item: AppraisalItem = result["item"]
            if item.kind != ItemKind.STAFF or item.staff_id is None:
                continue
            staff_id = item.staff_id
            row = rows.get(staff_id)
            if row is None:
                row = rows[staff_id] = StaffRow(
                    staff_id=staff_id, name="", villages=[], cells=[MonthCell(month=m) for m in months]
                )
            # The latest name on a ballot (a snapshot of what was voted on).
            if staff_id not in names or names[staff_id][0] <= session.month:
                names[staff_id] = (session.month, item.label or str(item.staff))
            villages[staff_id].add((session.path, session.village.label))
            if result["suppressed"] or not result["total"]:
                continue  # never counts, never shown
            cell = row.cells[index[session.month]]
            counts = result["counts"]
            cell.satisfied += counts["satisfied"]
            cell.basic += counts["basic"]
            cell.unsatisfied += counts["unsatisfied"]
            cell.total += result["total"]
    for staff_id, row in rows.items():
        row.name = names[staff_id][1]
        row.villages = [label for _path, label in sorted(villages[staff_id])]
        _classify(row, rule)

    def by_score(row: StaffRow, *, descending: bool) -> tuple[Fraction, str, int]:
        score = row.score or Fraction(0)
        return (-score if descending else score, row.name, row.staff_id)

    everyone = list(rows.values())
    return Ranking(
        subdistrict=subdistrict,
        rule=rule,
        months=months,
        session_count=len(sessions),
        red=sorted((r for r in everyone if r.status == RED), key=lambda r: by_score(r, descending=True)),
        yellow=sorted((r for r in everyone if r.status == YELLOW), key=lambda r: by_score(r, descending=False)),
        normal=sorted((r for r in everyone if r.status == NORMAL), key=lambda r: by_score(r, descending=True)),
        unranked=sorted((r for r in everyone if r.status == UNRANKED), key=lambda r: (r.name, r.staff_id)),
    )
