"""Data minimisation for settled sync items (ADR 0054): once the record
lives in its own app, the sync item need not keep a second copy of what the
worker typed about residents. After FIELD_ITEM_BODY_DAYS its body keeps only
the photos' hashes, times and positions; the key and fingerprint stay, so a
phone that replays the item even later is still answered "duplicate" and
creates nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from ..models import SyncItem
from ..states import Status

SETTLED = (Status.ACCEPTED, Status.REFUSED, Status.INVALID, Status.DISCARDED)


def _photo_metadata(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        if "sha256_b64" in value:
            return [value]
        return [found for item in value.values() for found in _photo_metadata(item)]
    if isinstance(value, list):
        return [found for item in value for found in _photo_metadata(item)]
    return []


def sync_items_prune(*, now: datetime.datetime | None = None, batch: int = 500) -> int:
    """Slim the bodies of items settled more than FIELD_ITEM_BODY_DAYS ago;
    returns how many were slimmed (idempotent: a slimmed body is skipped)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.FIELD_ITEM_BODY_DAYS)
    pruned = 0
    while True:
        rows = list(
            SyncItem.objects.filter(status__in=SETTLED, received_at__lt=cutoff)
            .exclude(body__has_key="pruned")
            .order_by("pk")[:batch]
        )
        if not rows:
            return pruned
        for item in rows:
            item.body = {"pruned": True, "photos": _photo_metadata(item.body)}
        SyncItem.objects.bulk_update(rows, ["body"])
        pruned += len(rows)
