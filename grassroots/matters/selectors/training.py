"""Reads for the category router above matters (ADR 0050): the history it
learns from and the categories its labels name."""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Category, Matter
from ..states import State


def matters_for_training() -> Iterable[tuple[str, str, str]]:
    """(title, description, category code) of every resolved or closed
    matter: the category staff finally chose (the router's history, ADR 0050)."""
    return (
        Matter.objects.filter(state__in=[State.RESOLVED, State.CLOSED], category__isnull=False, category__active=True)
        .order_by("pk")
        .values_list("title", "description", "category__code")
        .iterator(chunk_size=2000)
    )


def categories_by_code(codes: Iterable[str]) -> dict[str, Category]:
    """Active second-level categories by code (with their parents)."""
    return {
        c.code: c
        for c in Category.objects.filter(code__in=list(codes), active=True, parent__isnull=False).select_related(
            "parent"
        )
    }
