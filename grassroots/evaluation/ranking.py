"""红黄榜: the subdistrict's red/yellow list of staff, drawn from the monthly
appraisals (评事) and published through 晒事.

Over the `rule.months` months ending with the chosen month, every staff item
of every closed session in the subdistrict's villages is taken with the
counts `results_build` gives (paper tallies included). A staff member's
result in a month is left out entirely when it is suppressed (fewer than
MIN_BALLOTS_PER_PERSON ballots): it neither counts nor appears as a number.
Results of one person in several villages in the same month are pooled.

Thresholds are compared in exact integer arithmetic: satisfaction is
100 * (satisfied + basic / 2) / total, so "satisfaction >= red_min" is
(2 * satisfied + basic) * 100 >= red_min * 2 * total. Shown figures are cut
(not rounded) to one decimal, so a figure shown as 90.0 is really at least
90 and a figure shown as 69.9 really below 70: what is shown never
contradicts the list a person is on."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from grassroots.accounts.roles import Capability, Role
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import Conflict, DomainError, PermissionDenied
from grassroots.core.masking import mask_name
from grassroots.regions.models import Level, Node

from .models import AppraisalItem, AppraisalSession, ItemKind, RankingRule
from .services.ballots import MIN_BALLOTS_PER_PERSON, results_build
from .states import State

RED = "red"
YELLOW = "yellow"
NORMAL = "normal"
UNRANKED = "unranked"
STATUS_LABELS = {RED: "红榜", YELLOW: "黄榜", NORMAL: "一般", UNRANKED: "未达到统计条件"}
# Bootstrap classes of the page's badges and list headers.
STATUS_CLASSES = {
    RED: "text-bg-danger",
    YELLOW: "text-bg-warning",
    NORMAL: "text-bg-secondary",
    UNRANKED: "text-bg-light border",
}
RULE_FIELDS = ("months", "min_months", "red_min", "yellow_below", "unsatisfied_share_max")
CHANNELS = ["portal", "notice", "led"]


# --- Months ------------------------------------------------------------------


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + (month.month - 1) + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_label(month: datetime.date) -> str:
    return f"{month.year}年{month.month}月"


def period_label(start: datetime.date, end: datetime.date) -> str:
    """ "2026年9月—11月", "2025年11月—2026年1月", or "2026年11月" for one month."""
    if start == end:
        return month_label(end)
    if start.year == end.year:
        return f"{month_label(start)}—{end.month}月"
    return f"{month_label(start)}—{month_label(end)}"


def percent(numerator: int, denominator: int) -> Decimal:
    """100 * numerator / denominator, cut to one decimal (never rounded up)."""
    value = Fraction(100 * numerator, denominator)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), rounding=ROUND_DOWN)


# --- The rule ----------------------------------------------------------------


def rule_for(subdistrict: Node) -> RankingRule:
    """The subdistrict's saved rule, or an unsaved one with the defaults."""
    rule = RankingRule.objects.filter(subdistrict=subdistrict).select_related("updated_by").first()
    return rule if rule is not None else RankingRule(subdistrict=subdistrict)


def rule_values(rule: RankingRule) -> dict[str, int]:
    return {name: int(getattr(rule, name)) for name in RULE_FIELDS}


def rule_sentence(rule: RankingRule) -> str:
    return (
        f"满意度 ≥ {rule.red_min}% 上红榜,< {rule.yellow_below}% 或单月不满意票占比 ≥ "
        f"{rule.unsatisfied_share_max}% 上黄榜,近 {rule.months} 个月中至少 {rule.min_months} 个月有评议结果"
    )


def can_manage(user: Any, subdistrict: Node) -> bool:
    """Only subdistrict staff of this very subdistrict set the rule and publish the list."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.SUBDISTRICT_STAFF
        and user.can(Capability.RUN_APPRAISALS)
        and user.jurisdiction_id == subdistrict.pk
    )


def _require_manager(actor: Any, subdistrict: Node, message: str) -> None:
    if subdistrict.level != Level.SUBDISTRICT:
        raise DomainError("not_subdistrict", "红黄榜按街道设置和公示。", field="subdistrict")
    if not can_manage(actor, subdistrict):
        raise PermissionDenied(message)


def _clean_rule(values: dict[str, Any]) -> dict[str, int]:
    labels = {
        "months": "统计月数",
        "min_months": "至少有结果的月数",
        "red_min": "红榜满意度",
        "yellow_below": "黄榜满意度",
        "unsatisfied_share_max": "单月不满意票占比",
    }
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise DomainError("rule_unknown_field", "规则中有无法识别的项目。")
    cleaned: dict[str, int] = {}
    for name in RULE_FIELDS:
        value = values.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise DomainError("rule_not_integer", f"请将{labels[name]}填写为整数。", field=name)
        cleaned[name] = value
    months, min_months = cleaned["months"], cleaned["min_months"]
    red_min, yellow_below = cleaned["red_min"], cleaned["yellow_below"]
    if not 1 <= months <= 12:
        raise DomainError("rule_months", "统计月数须在 1 至 12 之间。", field="months")
    if not 1 <= min_months <= months:
        raise DomainError("rule_min_months", f"至少有结果的月数须在 1 至统计月数({months})之间。", field="min_months")
    if not 0 <= red_min <= 100:
        raise DomainError("rule_red_min", "红榜满意度须在 0% 至 100% 之间。", field="red_min")
    if not 0 <= yellow_below <= red_min:
        raise DomainError(
            "rule_yellow_below",
            f"黄榜满意度须在 0% 至红榜满意度({red_min}%)之间。",
            field="yellow_below",
        )
    if not 1 <= cleaned["unsatisfied_share_max"] <= 100:
        raise DomainError(
            "rule_unsatisfied_share", "单月不满意票占比须在 1% 至 100% 之间。", field="unsatisfied_share_max"
        )
    return cleaned


def rule_save(*, actor: Any, subdistrict: Node, request: Any = None, **values: Any) -> RankingRule:
    """Create or change the subdistrict's rule (subdistrict staff only);
    validated with Chinese messages, audited with the values before and after."""
    _require_manager(actor, subdistrict, "只有街道工作人员可以修改红黄榜规则。")
    cleaned = _clean_rule(values)
    try:
        with transaction.atomic():
            rule = RankingRule.objects.select_for_update().filter(subdistrict=subdistrict).first()
            created = rule is None
            if rule is None:
                rule = RankingRule(subdistrict=subdistrict)
                before: dict[str, int] = {}
            else:
                before = rule_values(rule)
                if before == cleaned:
                    return rule
            for name, value in cleaned.items():
                setattr(rule, name, value)
            rule.updated_by = actor
            rule.save()
            audit_record(
                action=AuditAction.CREATE if created else AuditAction.UPDATE,
                actor=actor,
                request=request,
                obj=rule,
                detail={"before": before, "after": cleaned},
            )
    except IntegrityError as exc:  # another person created the rule at the same moment
        raise Conflict("rule_conflict", "规则刚被他人修改,请刷新后重试。") from exc
    return rule


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


# --- Publication -------------------------------------------------------------


def _entry(row: StaffRow) -> dict[str, Any]:
    # Published: the name is masked like every name on a public page; the
    # unit (village) says where the person works.
    return {
        "name": mask_name(row.name),
        "villages": row.villages,
        "satisfaction": float(row.satisfaction) if row.satisfaction is not None else None,
        "months": row.months_with_results,
        "ballots": row.ballots,
        "reasons": row.reasons,
    }


def _line(number: int, row: StaffRow) -> str:
    text = (
        f"{number}. {mask_name(row.name)}({row.village_label}工作人员) "
        f"满意度 {row.satisfaction}%,{row.months_with_results} 个月有评议结果"
    )
    if row.reasons:
        text += ";" + ";".join(row.reasons)
    return text


def ranking_text(ranking: Ranking) -> tuple[str, str]:
    """Title and body of the publication."""
    title = f"{ranking.subdistrict.label}{ranking.period_label}工作人员红黄榜"
    lines = [
        f"根据各村(社区)群众代表月度评议结果,现将{ranking.period_label}工作人员红黄榜公示如下。",
        "",
        "红榜(表扬):",
        *([_line(i, r) for i, r in enumerate(ranking.red, 1)] or ["无"]),
        "",
        "黄榜(督促改进):",
        *([_line(i, r) for i, r in enumerate(ranking.yellow, 1)] or ["无"]),
        "",
        f"评定规则:{ranking.rule_sentence}。",
        f"满意度 =(满意票 + 基本满意票 × 0.5)÷ 有效票 × 100%;某月有效票少于 {MIN_BALLOTS_PER_PERSON} 张的,"
        "该月结果不公布、不计入。",
    ]
    return title, "\n".join(lines)


def ranking_data(ranking: Ranking) -> dict[str, Any]:
    return {
        "from": ranking.start_month.strftime("%Y-%m"),
        "to": ranking.end_month.strftime("%Y-%m"),
        "rule": rule_values(ranking.rule),
        "red": [_entry(r) for r in ranking.red],
        "yellow": [_entry(r) for r in ranking.yellow],
    }


def ranking_publish(*, actor: Any, subdistrict: Node, end_month: datetime.date, request: Any = None) -> Any:
    """A DRAFT publication of the red/yellow list at the subdistrict (the
    publisher reviews and publishes it on the publicity page). Pressing the
    button twice for an unchanged list gives back the same draft."""
    from grassroots.publicity.models import Kind, Publication
    from grassroots.publicity.models import State as PublicationState
    from grassroots.publicity.services import publication_create

    _require_manager(actor, subdistrict, "只有街道工作人员可以生成红黄榜公示。")
    ranking = ranking_build(subdistrict=subdistrict, end_month=end_month, rule=rule_for(subdistrict))
    if not ranking.session_count:
        raise DomainError(
            "ranking_empty", f"{ranking.period_label}没有已结束的月度评议,不能生成红黄榜。", field="month"
        )
    title, content = ranking_text(ranking)
    data = ranking_data(ranking)
    existing = Publication.objects.filter(
        kind=Kind.RANKING, node=subdistrict, state=PublicationState.DRAFT, data__from=data["from"], data__to=data["to"]
    ).order_by("-pk")
    for draft in existing:
        if draft.data == data and draft.title == title and draft.content == content:
            return draft
    return publication_create(
        actor=actor,
        kind=Kind.RANKING,
        node=subdistrict,
        title=title,
        content=content,
        data=data,
        channels=CHANNELS,
    )
