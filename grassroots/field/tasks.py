from __future__ import annotations

from celery import shared_task

from .services.retention import sync_items_prune


@shared_task(name="field.prune_sync_items")
def prune_sync_items() -> int:
    """Nightly: settled sync items keep only photo metadata after FIELD_ITEM_BODY_DAYS (idempotent)."""
    return sync_items_prune()
