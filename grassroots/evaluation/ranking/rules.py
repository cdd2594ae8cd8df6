"""评事考评排行 rules: the months of a list, the thresholds a subdistrict sets
(RankingRule) and who may set them."""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from typing import Any

from django.db import IntegrityError, transaction

from grassroots.accounts.roles import Capability, Role
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import Conflict, DomainError, PermissionDenied
from grassroots.regions.models import Level, Node

from ..models import RankingRule

RED = "red"
YELLOW = "yellow"
NORMAL = "normal"
UNRANKED = "unranked"
STATUS_LABELS = {RED: "表扬名单", YELLOW: "督促名单", NORMAL: "一般", UNRANKED: "未达到统计条件"}
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
        f"满意度 ≥ {rule.red_min}% 上表扬名单,< {rule.yellow_below}% 或单月不满意票占比 ≥ "
        f"{rule.unsatisfied_share_max}% 上督促名单,近 {rule.months} 个月中至少 {rule.min_months} 个月有评议结果"
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


def require_manager(actor: Any, subdistrict: Node, message: str) -> None:
    if subdistrict.level != Level.SUBDISTRICT:
        raise DomainError("not_subdistrict", "评事考评排行按街道设置和公示。", field="subdistrict")
    if not can_manage(actor, subdistrict):
        raise PermissionDenied(message)


def _clean_rule(values: dict[str, Any]) -> dict[str, int]:
    labels = {
        "months": "统计月数",
        "min_months": "至少有结果的月数",
        "red_min": "表扬名单满意度",
        "yellow_below": "督促名单满意度",
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
        raise DomainError("rule_red_min", "表扬名单满意度须在 0% 至 100% 之间。", field="red_min")
    if not 0 <= yellow_below <= red_min:
        raise DomainError(
            "rule_yellow_below",
            f"督促名单满意度须在 0% 至表扬名单满意度({red_min}%)之间。",
            field="yellow_below",
        )
    if not 1 <= cleaned["unsatisfied_share_max"] <= 100:
        raise DomainError(
            "rule_unsatisfied_share", "单月不满意票占比须在 1% 至 100% 之间。", field="unsatisfied_share_max"
        )
    return cleaned


def rule_save(*, actor: Any, subdistrict: Node, **values: Any) -> RankingRule:
    """Create or change the subdistrict's rule (subdistrict staff only);
    validated with Chinese messages, audited with the values before and after."""
    require_manager(actor, subdistrict, "只有街道工作人员可以修改评事考评排行规则。")
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
                obj=rule,
                detail={"before": before, "after": cleaned},
            )
    except IntegrityError as exc:  # another person created the rule at the same moment
        raise Conflict("rule_conflict", "规则刚被他人修改,请刷新后重试。") from exc
    return rule
