"""Conflicts (the household moved, the matter was closed, the address was
collected by someone else), each option of /resolve, and the items list."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from grassroots.addresses.models import Address
from grassroots.addresses.services.addresses import address_collect
from grassroots.matters.models import Matter, MatterEvent, Visit
from grassroots.matters.tests.factories import matter_in_state
from grassroots.regions.models import Household

from ..models import SyncItem
from .support import ITEMS, item, matter_body, photo, resolve, sync_one, visit_body


def _moved_visit(client, tree, *, matters=None):
    household = Household.objects.create(unit=tree.unit_a1, room="102", address="1单元102室")
    body = visit_body(household.pk, matters=matters if matters is not None else [matter_body(photos=[photo()])])
    Household.objects.filter(pk=household.pk).update(unit=tree.unit_b1, path=tree.unit_b1.path)
    return sync_one(client, item("visit", body))


def test_household_moved_then_attach_to_grid(client_a, tree, workers):
    result = _moved_visit(client_a, tree)
    assert result["status"] == "conflict" and result["reason"] == "household_moved"
    assert [o["code"] for o in result["options"]] == ["attach_to_grid", "discard"]
    assert SyncItem.objects.get().body["matters"][0]["photos"][0]["data"]  # kept until resolved
    answer = resolve(client_a, result["key"], "attach_to_grid")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["status"] == "accepted" and data["record"]["type"] == "matter"
    matter = Matter.objects.get()
    assert matter.node == tree.grid_a1 and matter.visit is None and matter.attachments.count() == 1
    assert Visit.objects.count() == 0
    stored = SyncItem.objects.get()
    assert stored.resolution == "attach_to_grid" and stored.resolved_at is not None
    assert "data" not in stored.body["matters"][0]["photos"][0]
    # Idempotent: the same option answers the same result, nothing new.
    assert resolve(client_a, result["key"], "attach_to_grid").json() == data
    assert Matter.objects.count() == 1
    # Another option afterwards: 409.
    late = resolve(client_a, result["key"], "discard")
    assert late.status_code == 409 and "已按" in late.json()["detail"]


def test_household_moved_then_discard(client_a, tree):
    result = _moved_visit(client_a, tree)
    data = resolve(client_a, result["key"], "discard").json()
    assert data["status"] == "discarded" and data["record"] is None
    assert Matter.objects.count() == 0 and Visit.objects.count() == 0
    # The delivery replayed after the choice answers the stored outcome.
    assert SyncItem.objects.get().status == "discarded"


def test_attach_without_matters_is_refused(client_a, tree):
    result = _moved_visit(client_a, tree, matters=[])
    answer = resolve(client_a, result["key"], "attach_to_grid")
    assert answer.status_code == 400 and "只能放弃" in answer.json()["detail"]
    assert SyncItem.objects.get().status == "conflict"


def test_matter_closed_then_new_matter(client_a, tree, workers):
    closed = matter_in_state("closed", node=tree.unit_a1, handler=workers.village_a)
    result = sync_one(client_a, item("matter_note", {"matter": closed.pk, "text": "居民说灯又坏了,请再来看看。"}))
    assert result["status"] == "conflict" and result["reason"] == "matter_closed"
    assert closed.number in result["message"]
    assert MatterEvent.objects.filter(matter=closed, kind="note").count() == 0
    data = resolve(client_a, result["key"], "new_matter").json()
    assert data["status"] == "accepted"
    follow = Matter.objects.get(pk=data["record"]["id"])
    assert follow.channel_detail["follows"] == closed.pk and follow.title.startswith("跟进:")
    assert follow.description == "居民说灯又坏了,请再来看看。"


def test_matter_closed_then_discard(client_a, tree, workers):
    closed = matter_in_state("closed", node=tree.unit_a1, handler=workers.village_a)
    result = sync_one(client_a, item("matter_note", {"matter": closed.pk, "text": "居民说灯又坏了。"}))
    count = Matter.objects.count()
    assert resolve(client_a, result["key"], "discard").json()["status"] == "discarded"
    assert Matter.objects.count() == count


def _collected_by_other(world, workers):
    address = Address.objects.get(pk=world.address_a.pk)
    from grassroots.addresses.services.addresses import PART_FIELDS, AddressInput

    parts = {name: getattr(address, name) for name in PART_FIELDS}
    return address_collect(actor=workers.a, address=address, data=AddressInput(**parts))


def test_address_verified_by_other_keep_theirs(client_a, world, workers):
    body = {"address": world.address_a.pk, "action": "correct", "fields": {"room": "102"}, "seen_state": "pending"}
    _collected_by_other(world, workers)
    result = sync_one(client_a, item("address", body))
    assert result["status"] == "conflict" and result["reason"] == "address_verified_by_other"
    assert [o["code"] for o in result["options"]] == ["apply_mine", "keep_theirs"]
    assert resolve(client_a, result["key"], "keep_theirs").json()["status"] == "discarded"
    assert Address.objects.get(pk=world.address_a.pk).room == "101"


def test_address_verified_by_other_apply_mine(client_a, world, workers):
    from grassroots.addresses.services.addresses import address_doubt

    body = {"address": world.address_a.pk, "action": "correct", "fields": {"room": "102"}, "seen_state": "pending"}
    collected = _collected_by_other(world, workers)
    # Sent back as doubtful: collecting again is allowed, so "apply mine" can be recorded.
    from grassroots.core.actors import SYSTEM

    address_doubt(actor=SYSTEM, address=collected, reason="门牌号与现场不符")
    result = sync_one(client_a, item("address", body))
    assert result["status"] == "conflict"
    data = resolve(client_a, result["key"], "apply_mine").json()
    assert data["status"] == "accepted" and data["record"]["type"] == "address"
    address = Address.objects.get(pk=world.address_a.pk)
    assert address.room == "102" and address.state == "collected"


def test_apply_mine_refused_by_the_owning_app_keeps_the_conflict(client_a, world, workers):
    body = {"address": world.address_a.pk, "action": "confirm", "seen_state": "pending"}
    _collected_by_other(world, workers)
    result = sync_one(client_a, item("address", body))
    answer = resolve(client_a, result["key"], "apply_mine")
    assert answer.status_code in (400, 409)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in answer.json()["detail"])
    assert SyncItem.objects.get().status == "conflict"
    assert resolve(client_a, result["key"], "keep_theirs").json()["status"] == "discarded"


def test_resolve_bad_input(client_a, client_b, tree):
    result = _moved_visit(client_a, tree)
    bad = resolve(client_a, result["key"], "apply_mine")
    assert bad.status_code == 400 and "处理方式" in bad.json()["detail"]
    assert client_a.post(f"{ITEMS}/{result['key']}/resolve", {}, content_type="application/json").status_code == 400
    # Another worker's key: 404, as for a key that does not exist.
    theirs = resolve(client_b, result["key"], "discard")
    missing = resolve(client_b, "no-such-key-1", "discard")
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["detail"] == missing.json()["detail"]
    accepted = sync_one(client_a, item("matter", matter_body()))
    assert resolve(client_a, accepted["key"], "discard").status_code == 400
    assert SyncItem.objects.get(key=result["key"]).status == "conflict"


def test_items_list_is_the_callers_own(client_a, client_b, tree):
    conflict = _moved_visit(client_a, tree)
    sync_one(client_a, item("matter", matter_body()))
    sync_one(client_b, item("matter", matter_body()))
    rows = client_a.get(ITEMS).json()["results"]
    assert len(rows) == 2
    only = client_a.get(ITEMS, {"status": "conflict"}).json()["results"]
    assert [r["key"] for r in only] == [conflict["key"]]
    assert [o["code"] for o in only[0]["options"]] == ["attach_to_grid", "discard"]
    assert only[0]["message"] and only[0]["reason"] == "household_moved"
    bad = client_a.get(ITEMS, {"status": "nope"})
    assert bad.status_code == 400 and "status" in bad.json()["errors"]


def test_items_list_shows_photo_time_and_position(client_a):
    sync_one(
        client_a, item("matter", matter_body(photos=[photo(taken_at="2026-12-01T10:00:00+08:00", lat=36.5, lng=117.9)]))
    )
    row = client_a.get(ITEMS).json()["results"][0]
    assert row["photos"] == [{"taken_at": "2026-12-01T10:00:00+08:00", "lat": 36.5, "lng": 117.9}]


def test_roles_other_than_field_workers_are_refused(login, make_user, tree, client):
    from grassroots.accounts.roles import Role

    assert client.post("/api/v1/field/sync", {"items": []}, content_type="application/json").status_code in (401, 403)
    for role in (Role.VILLAGE_STAFF, Role.SUBDISTRICT_STAFF, Role.SYSTEM_ADMIN):
        other = login(make_user(role, tree.village_a))
        response = other.post(
            "/api/v1/field/sync", {"items": [item("matter", matter_body())]}, content_type="application/json"
        )
        assert response.status_code == 403
        assert other.get(ITEMS).status_code == 403
        assert resolve(other, "no-such-key-1", "discard").status_code == 403
    assert Matter.objects.count() == 0 and SyncItem.objects.count() == 0


def _race(worker, one, copies: int = 4) -> tuple[list[str], list[BaseException]]:
    from ..services.sync import items_sync

    barrier = threading.Barrier(copies)
    statuses: list[str] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            barrier.wait()
            statuses.append(items_sync(actor=worker, items=[one])[0].status)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_key_make_one_record(tree, served):
    """Concurrent deliveries of one key (a retry racing the first delivery):
    the unique key lets one insert win; the others answer its row."""
    from grassroots.accounts.roles import Role
    from grassroots.testing.factories import UserFactory

    worker = UserFactory(username="field_race", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    for round_ in range(3):
        one = item("visit", visit_body(tree.resident_a1.household_id, matters=[matter_body()]))
        statuses, errors = _race(worker, one)
        assert not errors, errors
        assert sorted(statuses) == ["accepted", "duplicate", "duplicate", "duplicate"], (round_, statuses)
    assert Visit.objects.count() == 3 and Matter.objects.count() == 3
    assert SyncItem.objects.count() == 3
