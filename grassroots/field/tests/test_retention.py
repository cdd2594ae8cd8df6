"""Settled sync items keep only photo metadata after FIELD_ITEM_BODY_DAYS,
and a replay of a slimmed item is still a duplicate that creates nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from grassroots.matters.models import Matter

from ..models import SyncItem
from ..services.retention import sync_items_prune
from ..states import Status
from ..tasks import prune_sync_items
from .support import item, matter_body, photo, sync_one


def test_old_settled_items_keep_only_photo_metadata_and_replays_stay_duplicates(client_a, settings):
    settings.FIELD_ITEM_BODY_DAYS = 30
    old = item("matter", matter_body(photos=[photo(taken_at="2026-12-01T08:00:00+08:00", lat=36.8, lng=118.0)]))
    recent = item("matter", matter_body())
    first = sync_one(client_a, old)
    sync_one(client_a, recent)
    SyncItem.objects.filter(key=old["key"]).update(received_at=timezone.now() - datetime.timedelta(days=31))
    matters = Matter.objects.count()

    assert sync_items_prune() == 1
    slimmed = SyncItem.objects.get(key=old["key"])
    assert slimmed.body["pruned"] is True
    assert [(p["taken_at"], p["lat"], p["lng"]) for p in slimmed.body["photos"]] == [
        ("2026-12-01T08:00:00+08:00", 36.8, 118.0)
    ]
    assert "楼道" not in str(slimmed.body)  # the typed text is gone
    assert "楼道" in str(SyncItem.objects.get(key=recent["key"]).body)  # a recent item is untouched
    assert sync_items_prune() == 0  # idempotent
    assert prune_sync_items() == 0

    replay = sync_one(client_a, old)
    assert replay["status"] == "duplicate" and replay["record"] == first["record"]
    assert Matter.objects.count() == matters


def test_an_open_conflict_keeps_its_whole_body(client_a, settings, workers):
    settings.FIELD_ITEM_BODY_DAYS = 0
    conflict = SyncItem.objects.create(
        worker=workers.a,
        node=workers.a.jurisdiction,
        key="conflict-kept-1",
        type="matter_note",
        body={"matter": 1, "text": "等待网格员选择"},
        fingerprint="0" * 64,
        status=Status.CONFLICT,
        created_at=timezone.now(),
    )
    assert sync_items_prune(now=timezone.now() + datetime.timedelta(days=1)) == 0
    conflict.refresh_from_db()
    assert conflict.body["text"] == "等待网格员选择"
