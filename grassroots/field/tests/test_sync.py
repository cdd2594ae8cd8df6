"""POST /api/v1/field/sync: every type, bad input, idempotency, any order, photos."""

from __future__ import annotations

import copy

from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.addresses.models import Address
from grassroots.livelihood.models import CareVisit
from grassroots.matters.models import Attachment, Matter, MatterEvent, Visit
from grassroots.safety.models import Hazard, Inspection, InspectionPhoto

from ..models import SyncItem
from .support import SYNC, item, jpeg, matter_body, new_key, photo, sync, sync_one, visit_body


def _inspection_body(world, *, fail_first: bool = False, hazards: list | None = None) -> dict:
    items = list(world.version.items.order_by("position"))
    answers = [
        {
            "item": it.pk,
            "result": "fail" if fail_first and n == 0 else "pass",
            "note": "灭火器过期" if fail_first and n == 0 else "",
        }
        for n, it in enumerate(items)
    ]
    from django.utils import timezone

    return {
        "premises": world.premises_a.pk,
        "version": world.version.pk,
        "inspected_at": timezone.now().isoformat(),
        "note": "例行检查",
        "answers": answers,
        "photos": [photo()],
        "hazards": hazards or [],
    }


def test_every_type_is_accepted_with_its_record(client_a, tree, world, workers):
    from django.utils import timezone

    matter = Matter.objects.get(pk=sync_one(client_a, item("matter", matter_body()))["record"]["id"])
    first_item = world.version.items.order_by("position").first()
    items = [
        item(
            "visit", visit_body(tree.resident_a1.household_id, matters=[matter_body(photos=[photo()]), matter_body()])
        ),
        item("matter", matter_body(household=tree.resident_a1.household_id, photos=[photo(lat=36.51, lng=117.92)])),
        item("matter_note", {"matter": matter.pk, "text": "再次查看,灯仍未修好。", "photos": [photo()]}),
        item(
            "address",
            {
                "address": world.address_a.pk,
                "action": "correct",
                "fields": {"door_number": "20"},
                "seen_state": "pending",
                "photos": [photo(lat=36.5, lng=117.9)],
            },
        ),
        item(
            "inspection",
            _inspection_body(
                world, fail_first=True, hazards=[{"item": first_item.pk, "level": "major", "photos": [photo()]}]
            ),
        ),
        item(
            "care_visit",
            {
                "resident": tree.resident_a1.pk,
                "list_kind": "living_alone",
                "kind": "care",
                "visited_on": timezone.localdate().isoformat(),
                "note": "身体尚好",
                "opinion": "",
            },
        ),
    ]
    response = sync(client_a, items)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["accepted"] * 6, results
    assert [r["record"]["type"] for r in results] == [
        "visit",
        "matter",
        "matter",
        "address",
        "inspection",
        "care_visit",
    ]
    visit = Visit.objects.get()
    assert visit.matters.count() == 2 and Attachment.objects.filter(matter__visit=visit).count() == 1
    located = Matter.objects.get(pk=results[1]["record"]["id"])
    assert str(located.latitude) == "36.510000" and located.location == "1单元101室"
    assert MatterEvent.objects.filter(matter=matter, kind="note", text="再次查看,灯仍未修好。").exists()
    assert Attachment.objects.filter(matter=matter, event__isnull=False).count() == 1
    address = Address.objects.get(pk=world.address_a.pk)
    assert address.state == "collected" and address.door_number == "20" and address.photo
    inspection = Inspection.objects.get()
    assert InspectionPhoto.objects.filter(inspection=inspection).count() == 2
    assert Hazard.objects.get().level == "major"
    assert CareVisit.objects.get().resident == tree.resident_a1
    assert SyncItem.objects.filter(worker=workers.a, status="accepted").count() == 7
    # Stored photos are not kept twice: the item keeps their hash and metadata.
    stored = SyncItem.objects.get(key=items[3]["key"]).body["photos"][0]
    assert "data" not in stored and stored["lat"] == 36.5


def test_same_key_twice_is_one_record(client_a, tree, world):
    one = item("visit", visit_body(tree.resident_a1.household_id, matters=[matter_body()]))
    first = sync_one(client_a, one)
    again = sync_one(client_a, copy.deepcopy(one))
    assert first["status"] == "accepted" and again["status"] == "duplicate"
    assert again["record"] == first["record"]
    assert Visit.objects.count() == 1 and Matter.objects.count() == 1


def test_same_key_in_one_batch_is_one_record(client_a):
    one = item("matter", matter_body())
    results = sync(client_a, [one, copy.deepcopy(one)]).json()["results"]
    assert [r["status"] for r in results] == ["accepted", "duplicate"]
    assert Matter.objects.count() == 1


def test_key_order_of_the_body_does_not_matter(client_a):
    one = item("matter", matter_body())
    sync_one(client_a, one)
    reordered = dict(one, body=dict(reversed(list(one["body"].items()))))
    assert sync_one(client_a, reordered)["status"] == "duplicate"


def test_same_key_other_body_is_refused(client_a):
    one = item("matter", matter_body())
    sync_one(client_a, one)
    other = dict(one, body=dict(one["body"], title="另一件事"))
    result = sync_one(client_a, other)
    assert result["status"] == "refused" and result["reason"] == "key_reused"
    assert "该同步编号已用于另一条记录" in result["message"]
    assert Matter.objects.count() == 1
    assert SyncItem.objects.get().body["title"] == one["body"]["title"]


def test_keys_are_per_worker(client_a, client_b):
    key = new_key()
    assert sync_one(client_a, item("matter", matter_body(), key=key))["status"] == "accepted"
    assert sync_one(client_b, item("matter", matter_body(), key=key))["status"] == "accepted"
    assert Matter.objects.count() == 2


def test_one_bad_item_does_not_reject_the_others(client_a):
    results = sync(
        client_a, [item("matter", matter_body()), item("matter", matter_body(title="")), item("matter", matter_body())]
    ).json()["results"]
    assert [r["status"] for r in results] == ["accepted", "invalid", "accepted"]
    assert "title" in results[1]["errors"]
    assert Matter.objects.count() == 2


def test_invalid_is_final_and_answers_the_same_on_replay(client_a):
    bad = item("matter", matter_body(description="短"))
    first = sync_one(client_a, bad)
    assert first["status"] == "invalid" and "至少 5 个字" in first["message"]
    assert sync_one(client_a, bad)["status"] == "invalid"
    assert Matter.objects.count() == 0


def test_envelope_errors_are_invalid_in_chinese(client_a):
    results = sync(
        client_a,
        [
            {"key": "short", "type": "matter", "created_at": "2026-12-01T10:00:00+08:00", "body": {}},
            {"key": new_key(), "type": "party", "created_at": "2026-12-01T10:00:00+08:00", "body": {}},
            {"key": new_key(), "type": "matter", "created_at": "昨天", "body": {}},
            "not an object",
        ],
    ).json()["results"]
    assert [r["status"] for r in results] == ["invalid"] * 4
    assert "同步编号" in results[0]["errors"]["key"][0]
    assert "type" in results[1]["errors"] and "created_at" in results[2]["errors"]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in r["message"]) for r in results)
    assert SyncItem.objects.count() == 0


def test_bad_requests_are_400_in_chinese_and_write_nothing(client_a):
    for body in ({}, {"items": "x"}, {"items": [item("matter", matter_body()) for _ in range(51)]}):
        response = client_a.post(SYNC, body, content_type="application/json")
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/problem+json")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])
    assert (
        "50"
        in client_a.post(
            SYNC, {"items": [item("matter", matter_body()) for _ in range(51)]}, content_type="application/json"
        ).json()["detail"]
    )
    assert client_a.post(SYNC, "{not json", content_type="application/json").status_code == 400
    assert Matter.objects.count() == 0 and SyncItem.objects.count() == 0


def test_text_with_bidi_controls_is_invalid(client_a):
    result = sync_one(client_a, item("matter", matter_body(title="楼道\u202e灯不亮")))
    assert result["status"] == "invalid" and "title" in result["errors"]
    assert Matter.objects.count() == 0


def test_other_subtree_ids_are_invalid_like_missing_ones(client_a, tree, world):
    from grassroots.matters.tests.factories import report

    theirs = report(node=tree.unit_b1)
    pairs = [
        ({"matter": theirs.pk, "text": "跟进一下情况。"}, {"matter": 999999, "text": "跟进一下情况。"}, "matter_note"),
        (
            {"address": world.address_b.pk, "action": "confirm", "seen_state": "pending"},
            {"address": 999999, "action": "confirm", "seen_state": "pending"},
            "address",
        ),
        (
            {"resident": tree.resident_b1.pk, "list_kind": "living_alone", "kind": "care", "visited_on": "2026-12-01"},
            {"resident": 999999, "list_kind": "living_alone", "kind": "care", "visited_on": "2026-12-01"},
            "care_visit",
        ),
        (matter_body(household=tree.resident_b1.household_id), matter_body(household=999999), "matter"),
        (matter_body(node=tree.unit_b1.pk), matter_body(node=999999), "matter"),
    ]
    for other, missing, item_type in pairs:
        a = sync_one(client_a, item(item_type, other))
        b = sync_one(client_a, item(item_type, missing))
        assert a["status"] == b["status"] == "invalid", (item_type, a, b)
        assert a["message"] == b["message"] and a["errors"] == b["errors"]
    body = _inspection_body(world)
    a = sync_one(client_a, item("inspection", dict(body, premises=world.premises_b.pk)))
    b = sync_one(client_a, item("inspection", dict(body, premises=999999)))
    assert a["status"] == b["status"] == "invalid" and a["message"] == b["message"]
    assert MatterEvent.objects.filter(kind="note").count() == 0
    assert Address.objects.get(pk=world.address_b.pk).state == "pending"
    assert CareVisit.objects.count() == 0 and Inspection.objects.count() == 0
    assert Matter.objects.count() == 1


def test_any_order_each_item_stands_alone(client_a, tree):
    """Items of a batch do not depend on each other: a follow-up, a visit and
    a matter are recorded in whatever order they come, and the batch replayed
    in the reverse order (a network drop after the commit) creates nothing."""
    from grassroots.matters.tests.factories import report

    matter = report(node=tree.unit_a1)
    batch = [
        item("matter_note", {"matter": matter.pk, "text": "已电话联系物业。"}),
        item("visit", visit_body(tree.resident_a1.household_id, matters=[matter_body()])),
        item("matter", matter_body()),
    ]
    results = sync(client_a, batch).json()["results"]
    assert [r["status"] for r in results] == ["accepted"] * 3
    again = sync(client_a, list(reversed(batch))).json()["results"]
    assert [r["status"] for r in again] == ["duplicate"] * 3
    assert [r["record"] for r in again] == [r["record"] for r in reversed(results)]
    assert Visit.objects.count() == 1 and Matter.objects.count() == 3
    assert MatterEvent.objects.filter(matter=matter, kind="note").count() == 1


def test_photo_checks(client_a, settings):
    settings.FIELD_PHOTO_MAX_BYTES = 5_000
    big = jpeg(200, 200, quality=95, noise=True)
    png = jpeg(fmt="PNG")
    cases = {
        "too_big": [photo(big)],
        "png": [photo(png)],
        "garbage": [photo("bm90IGEgcGhvdG8=")],
        "not_base64": [photo("@@@@")],
        "too_many": [photo(), photo(), photo(), photo()],
        "too_wide": [photo(jpeg(1700, 10, quality=10))],
    }
    settings.FIELD_PHOTO_MAX_EDGE = 1600
    for name, photos in cases.items():
        result = sync_one(client_a, item("matter", matter_body(photos=photos)))
        assert result["status"] == "invalid", name
        assert "photos" in result["errors"], name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in result["message"]), name
    assert Matter.objects.count() == 0 and Attachment.objects.count() == 0


def test_a_refusal_by_the_owning_app_is_refused(client_a, tree, workers):
    """A grid worker may not record a care visit for a resident who is not on the list."""
    from django.utils import timezone

    result = sync_one(
        client_a,
        item(
            "care_visit",
            {
                "resident": tree.resident_a1.pk,
                "list_kind": "disabled",
                "kind": "care",
                "visited_on": timezone.localdate().isoformat(),
            },
        ),
    )
    assert result["status"] == "invalid" and "名单" in result["message"]
    assert CareVisit.objects.count() == 0


def test_fifty_items_in_bounded_statements(client_a, tree, world):
    def batch(n):
        return [item("visit", visit_body(tree.resident_a1.household_id)) for _ in range(n)]

    sync(client_a, batch(1))
    with CaptureQueriesContext(connection) as ten:
        assert sync(client_a, batch(10)).status_code == 200
    with CaptureQueriesContext(connection) as fifty:
        results = sync(client_a, batch(50)).json()["results"]
    assert [r["status"] for r in results] == ["accepted"] * 50
    per_item = len(fifty) / 50
    assert per_item <= 25, per_item
    assert len(fifty) <= 5 * len(ten) + 10
    assert Visit.objects.count() == 61
