"""Reads of routing: the model in use, ranking a text, the suggestion of a
matter, and the monthly accuracy of a subdistrict's suggestions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from grassroots.core.scoping import scope_queryset
from grassroots.matters.models import Category, Matter, UnitKind
from grassroots.matters.selectors import categories_by_code
from grassroots.matters.services.advice import CategoryOption
from grassroots.matters.services.units import DEPARTMENTS

from . import services
from .models import RouterVersion, Suggestion

MAX_TEXT = 5000


def active_version() -> RouterVersion | None:
    return RouterVersion.objects.filter(active=True).first()


def versions() -> QuerySet[RouterVersion]:
    return RouterVersion.objects.order_by("-number")


def rank_text(*, version: RouterVersion, text: str, top: int = 3) -> list[tuple[Category, float]]:
    """The top categories for a text with their calibrated confidence;
    labels the office no longer uses (an inactive category) are skipped."""
    router = services.router_for(version)
    if router is None or not text.strip():
        return []
    ranked = router.rank([text[:MAX_TEXT]], top=top + 2)[0]
    categories = categories_by_code([r.label for r in ranked])
    return [(categories[r.label], r.confidence) for r in ranked if r.label in categories][:top]


def unit_label(category: Category) -> str:
    """The responsible unit that follows from the category."""
    if category.unit_kind == UnitKind.SUBDISTRICT:
        return DEPARTMENTS.get(category.department_code or "general", "街道职能部门")
    if category.unit_kind == UnitKind.GRID:
        return "所在网格"
    return "所在村/社区居委会"


def option(category: Category, confidence: float) -> CategoryOption:
    return CategoryOption(
        category_id=category.pk,
        label=str(category),
        confidence=confidence,
        unit=unit_label(category),
        deadline_days=category.deadline_days,
    )


def text_options(*, text: str) -> tuple[RouterVersion | None, list[CategoryOption]]:
    version = active_version()
    if version is None:
        return None, []
    return version, [option(c, p) for c, p in rank_text(version=version, text=text)]


def suggestion_of(*, matter: Matter) -> Suggestion | None:
    return Suggestion.objects.select_related("version").filter(matter=matter).first()


def suggestion_options(*, suggestion: Suggestion, matter: Matter) -> list[CategoryOption]:
    ids = [int(item["category"]) for item in suggestion.ranked]
    categories = Category.objects.select_related("parent").in_bulk(ids)
    return [
        option(categories[int(item["category"])], float(item["confidence"]))
        for item in suggestion.ranked
        if int(item["category"]) in categories and categories[int(item["category"])].active
    ]


@dataclass(frozen=True)
class AccuracyRow:
    label: str
    decided: int
    as_is: int
    top3: int

    @property
    def as_is_rate(self) -> float | None:
        return self.as_is / self.decided if self.decided else None

    @property
    def top3_rate(self) -> float | None:
        return self.top3 / self.decided if self.decided else None


@dataclass(frozen=True)
class Accuracy:
    month: datetime.date
    total: AccuracyRow
    per_category: list[AccuracyRow]
    suggested: int
    low_confidence: int
    versions: list[str]


def accuracy_month(*, user: Any, month: datetime.date) -> Accuracy:
    """Suggestions decided (the matter accepted) in `month` within the user's
    subtree: accepted as-is, top-3 hit, per final category. Three queries."""
    start, end = services.month_bounds(month)
    scoped = scope_queryset(Suggestion.objects.all(), user)
    decided = scoped.filter(decided_at__gte=start, decided_at__lt=end)
    agg = decided.aggregate(
        n=Count("pk"),
        as_is=Count("pk", filter=Q(accepted_as_is=True)),
        top3=Count("pk", filter=Q(in_top3=True)),
        low=Count("pk", filter=Q(low_confidence=True)),
    )
    rows = (
        decided.values("final_category__name", "final_category__parent__name")
        .annotate(
            n=Count("pk"),
            as_is=Count("pk", filter=Q(accepted_as_is=True)),
            top3=Count("pk", filter=Q(in_top3=True)),
        )
        .order_by("-n", "final_category__parent__name", "final_category__name")
    )
    per = [
        AccuracyRow(
            label=" / ".join(x for x in (r["final_category__parent__name"], r["final_category__name"]) if x),
            decided=r["n"],
            as_is=r["as_is"],
            top3=r["top3"],
        )
        for r in rows
    ]
    used = sorted(
        {f"v{n}" for n in decided.values_list("version__number", flat=True).distinct()}, key=lambda s: int(s[1:])
    )
    return Accuracy(
        month=month.replace(day=1),
        total=AccuracyRow(label="合计", decided=agg["n"], as_is=agg["as_is"], top3=agg["top3"]),
        per_category=per,
        suggested=scoped.filter(created_at__gte=start, created_at__lt=end).count(),
        low_confidence=agg["low"],
        versions=used,
    )
