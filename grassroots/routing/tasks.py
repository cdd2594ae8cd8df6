"""Celery tasks of routing. `retrain_router` runs weekly (beat): it trains a
new version from the closed matters when no model exists yet or enough new
corrections came in since the model in use was trained; otherwise it does
nothing (idempotent)."""

from __future__ import annotations

from celery import shared_task

from .errors import RoutingError
from .services import router_train_from_history


@shared_task(ignore_result=True)
def retrain_router() -> int | None:
    try:
        version = router_train_from_history(force=False)
    except RoutingError:
        return None  # not enough history yet: the next week tries again
    return version.number if version is not None else None
