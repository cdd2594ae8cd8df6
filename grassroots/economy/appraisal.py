"""The staff who handled a distribution plan, for 评事 (ADR 0045): a plan's
collective matter is appraised in the month it is resolved (when the plan is
distributed); its assignee is the handler the meeting named, and this adds
whoever drafted, submitted, decided, published and distributed the plan.
Registered into evaluation's handler registry in EconomyConfig.ready()."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .models import DistributionEvent, DistributionPlan


def plan_handlers(matters: Sequence[Any]) -> dict[int, list[Any]]:
    """By matter pk, the staff of the plans carried by `matters`, in the
    order they acted (two queries)."""
    plans = {
        plan.pk: plan
        for plan in DistributionPlan.objects.filter(matter__in=[m.pk for m in matters]).select_related("created_by")
    }
    if not plans:
        return {}
    found: dict[int, list[Any]] = {}
    for plan in plans.values():
        assert plan.matter_id is not None
        found[plan.matter_id] = [plan.created_by] if plan.created_by is not None else []
    events = (
        DistributionEvent.objects.filter(plan_id__in=plans, actor__isnull=False)
        .select_related("actor")
        .order_by("created_at", "id")
    )
    for event in events:
        row = found[plans[event.plan_id].matter_id or 0]
        if all(event.actor_id != user.pk for user in row):
            row.append(event.actor)
    return found
