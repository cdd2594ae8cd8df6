"""GET /api/v1/field/snapshot: the caller's subtree only, masked, bounded queries."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from grassroots.matters.tests.factories import report
from grassroots.regions.models import Household, Resident
from grassroots.testing.factories import make_id_number

from .support import SNAPSHOT


def test_snapshot_holds_the_workers_grid_only(client_a, tree, world, workers):
    report(node=tree.unit_a1, title="一网格的事")
    report(node=tree.unit_b1, title="店子社区的事")
    response = client_a.get(SNAPSHOT)
    assert response.status_code == 200
    data = response.json()
    assert data["worker"]["grid"] == {
        "id": tree.grid_a1.pk,
        "name": "第1网格",
        "path_label": "湖田街道 / 西张村 / 第1网格",
    }
    assert [h["id"] for h in data["households"]] == [tree.resident_a1.household_id]
    assert [m["title"] for m in data["matters"]] == ["一网格的事"]
    assert [a["id"] for a in data["address_tasks"]] == [world.address_a.pk]
    assert data["address_tasks"][0]["state"] == "pending"
    assert [p["id"] for p in data["premises"]] == [world.premises_a.pk]
    assert data["premises"][0]["checklist_version"] == world.version.pk
    assert [c["version"] for c in data["checklists"]] == [world.version.pk]
    assert data["checklists"][0]["items"]
    assert {(c["resident"], c["list_kind"]) for c in data["care"]} == {(tree.resident_a1.pk, "living_alone")}
    assert data["care"][0]["household"] == tree.resident_a1.household_id
    expires = datetime.datetime.fromisoformat(data["expires_at"]) - datetime.datetime.fromisoformat(
        data["generated_at"]
    )
    assert expires == datetime.timedelta(hours=72)
    assert data["options"]["photo_max_bytes"] == 400_000 and data["options"]["photos_per_item"] == 3


def test_snapshot_masks_people(client_a, tree, world):
    resident = tree.resident_a1
    text = client_a.get(SNAPSHOT).content.decode()
    assert resident.name not in text and "张*" in text
    assert resident.id_number not in text and resident.id_number[-4:] not in text
    assert resident.phone not in text
    assert "1950-03-01" not in text
    member = client_a.get(SNAPSHOT).json()["households"][0]["members"][0]
    assert set(member) == {"id", "name", "age", "flags"}
    assert "户主" in member["flags"] and "独居老人" in member["flags"]


def test_snapshot_settings_drive_expiry_and_limits(client_a, world, settings):
    settings.FIELD_CACHE_HOURS = 24
    settings.FIELD_PHOTO_MAX_EDGE = 1200
    data = client_a.get(SNAPSHOT).json()
    delta = datetime.datetime.fromisoformat(data["expires_at"]) - datetime.datetime.fromisoformat(data["generated_at"])
    assert delta == datetime.timedelta(hours=24)
    assert data["options"]["photo_max_edge"] == 1200


def _grow(tree, n):
    for i in range(n):
        household = Household.objects.create(unit=tree.unit_a1, room=f"{200 + i}", address=f"1单元{200 + i}室")
        Resident.objects.create(
            household=household,
            name=f"住户{i}",
            gender=Resident.Gender.FEMALE,
            birth_date=datetime.date(1980, 1, 1),
            id_number=make_id_number("370303", datetime.date(1980, 1, 1), 200 + i),
            is_household_head=True,
        )
        report(node=tree.unit_a1, title=f"事项{i}")


def test_snapshot_query_count_does_not_grow_with_the_grid(client_a, tree, world):
    client_a.get(SNAPSHOT)  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client_a.get(SNAPSHOT).status_code == 200
    _grow(tree, 15)
    with CaptureQueriesContext(connection) as large:
        data = client_a.get(SNAPSHOT).json()
    assert len(data["households"]) == 16 and len(data["matters"]) == 15
    assert len(large) == len(small)
    assert len(large) <= 40


def test_snapshot_pinned(client_a, tree, world, django_assert_max_num_queries):
    _grow(tree, 5)
    client_a.get(SNAPSHOT)
    with django_assert_max_num_queries(40):
        assert client_a.get(SNAPSHOT).status_code == 200


def test_snapshot_roles(login, make_user, tree, world, client):
    from grassroots.accounts.roles import Role

    assert client.get(SNAPSHOT).status_code in (401, 403)
    for role in (Role.VILLAGE_STAFF, Role.SUBDISTRICT_STAFF, Role.WINDOW_STAFF, Role.MEDIATOR):
        response = login(make_user(role, tree.village_a)).get(SNAPSHOT)
        assert response.status_code == 403
        assert response["Content-Type"].startswith("application/problem+json")
        assert "权限" in response.json()["detail"]
