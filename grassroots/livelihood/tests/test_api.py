"""/api/v1/livelihood/: per endpoint, success, bad input (400 with a Chinese
problem detail, nothing written), roles, and another subtree (404). People
are only answered masked."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.matters.models import Matter

from ..models import CareFlag, CareVisit, HealthRound
from .support import elder, flagged, visited

pytestmark = pytest.mark.django_db
BASE = "/api/v1/livelihood"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_coverage_and_care_list_masked(tree, people):
    resident = elder(tree.unit_a1, age=80)
    visited(resident, "birthday")
    rows = api(people.village_a).get(f"{BASE}/grids").json()
    assert {r["grid_label"] for r in rows} == {"第1网格", "第2网格"}
    first = next(r for r in rows if r["grid"] == tree.grid_a1.pk)
    assert first["cells"]["birthday"] == {"visited": 1, "due": 1, "percent": 100}
    listed = api(people.grid_a).get(f"{BASE}/grids/{tree.grid_a1.pk}/care-list", {"kind": "birthday"}).json()
    assert [r["resident"]["id"] for r in listed] == [resident.pk]
    assert resident.id_number not in str(listed) and resident.phone not in str(listed)
    assert "birth" not in str(listed)
    problem(api(people.grid_a).get(f"{BASE}/grids/{tree.grid_a1.pk}/care-list", {"kind": "nope"}), 400)
    problem(api(people.grid_a).get(f"{BASE}/grids", {"month": "2026-13"}), 400)
    problem(api(people.grid_b).get(f"{BASE}/grids/{tree.grid_a1.pk}/care-list", {"kind": "birthday"}), 404)
    assert api().get(f"{BASE}/grids").status_code in (401, 403)
    problem(api(people.window).get(f"{BASE}/grids"), 403)


def test_visit_create_and_matter(tree, people):
    resident = elder(tree.unit_a1, age=80)
    data = {"resident": resident.pk, "list_kind": "birthday", "kind": "birthday", "opinion": "希望社区办老年食堂"}
    created = api(people.grid_a).post(f"{BASE}/visits", data, format="json")
    assert created.status_code == 201, created.content
    visit = created.json()
    assert visit["resident"]["name"] == resident.name and "*" in visit["resident"]["id_number"]
    matter = api(people.grid_a).post(f"{BASE}/visits/{visit['id']}/matter", {}, format="json")
    assert matter.status_code == 201, matter.content
    assert Matter.objects.get(pk=matter.json()["matter"]).title == "希望社区办老年食堂"
    detail = problem(api(people.grid_a).post(f"{BASE}/visits/{visit['id']}/matter", {}, format="json"), 409)
    assert "已经转为说事" in detail["detail"]
    problem(api(people.grid_b).post(f"{BASE}/visits/{visit['id']}/matter", {}, format="json"), 404)
    assert Matter.objects.count() == 1


def test_visit_bad_input_writes_nothing(tree, people):
    resident = elder(tree.unit_a1, age=80)
    other = elder(tree.unit_b1, age=80)
    client = api(people.grid_a)
    cases = [
        ({"resident": resident.pk, "list_kind": "living_alone", "kind": "care"}, 400, "不在"),
        ({"resident": resident.pk, "list_kind": "birthday", "kind": "x"}, 400, "走访类型"),
        ({"resident": "abc", "list_kind": "birthday", "kind": "birthday"}, 400, "编号"),
        ({"resident": 10**30, "list_kind": "birthday", "kind": "birthday"}, 400, "编号"),
        ({"resident": other.pk, "list_kind": "birthday", "kind": "birthday"}, 404, ""),
        ({"resident": resident.pk, "list_kind": "birthday", "kind": "birthday", "visited_on": "明天"}, 400, "日期"),
    ]
    for body, status, message in cases:
        detail = problem(client.post(f"{BASE}/visits", body, format="json"), status)
        assert message in str(detail)
    problem(api(people.window).post(f"{BASE}/visits", cases[0][0], format="json"), 403)
    assert api().post(f"{BASE}/visits", cases[0][0], format="json").status_code in (401, 403)
    assert CareVisit.objects.count() == 0


def test_health_round_create(tree, people):
    seen = elder(tree.unit_a1, age=80)
    other = elder(tree.unit_b1, age=80)
    today = timezone.localdate().isoformat()
    body = {"node": tree.grid_a1.pk, "place": "卫生室", "held_on": today, "served": 30, "residents": [seen.pk]}
    created = api(people.grid_a).post(f"{BASE}/health-rounds", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["residents"] == [seen.pk]
    problem(api(people.grid_a).post(f"{BASE}/health-rounds", {**body, "served": 0}, format="json"), 400)
    problem(api(people.grid_a).post(f"{BASE}/health-rounds", {**body, "residents": [other.pk]}, format="json"), 404)
    problem(api(people.grid_b).post(f"{BASE}/health-rounds", body, format="json"), 404)
    problem(api(people.window).post(f"{BASE}/health-rounds", body, format="json"), 403)
    assert HealthRound.objects.count() == 1
    assert api(people.street).get(f"{BASE}/health-rounds").json()["results"][0]["served"] == 30


def test_flags(tree, people):
    resident = elder(tree.unit_a1, age=80)
    body = {"kind": "disabled", "resident": resident.pk, "source": "残联", "since": "2025-01-01"}
    created = api(people.village_a).post(f"{BASE}/flags", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    problem(api(people.village_a).post(f"{BASE}/flags", body, format="json"), 409)
    problem(api(people.village_a).post(f"{BASE}/flags", {**body, "source": ""}, format="json"), 400)
    problem(api(people.grid_a).post(f"{BASE}/flags", body, format="json"), 403)
    problem(api(people.village_b).post(f"{BASE}/flags", body, format="json"), 404)
    problem(api(people.village_a).post(f"{BASE}/flags/{pk}/end", {"reason": ""}, format="json"), 400)
    problem(api(people.village_b).post(f"{BASE}/flags/{pk}/end", {"reason": "搬走"}, format="json"), 404)
    ended = api(people.village_a).post(f"{BASE}/flags/{pk}/end", {"reason": "搬走"}, format="json")
    assert ended.json()["state"] == "ended"
    problem(api(people.village_a).post(f"{BASE}/flags/{pk}/end", {"reason": "搬走"}, format="json"), 409)
    assert api(people.village_a).post(f"{BASE}/flags/{pk}/restore").json()["state"] == "active"
    listed = api(people.grid_a).get(f"{BASE}/flags", {"kind": "disabled"}).json()
    assert [r["id"] for r in listed["results"]] == [pk] and resident.id_number not in str(listed)
    assert CareFlag.objects.count() == 1
    assert flagged(elder(tree.unit_a1, age=75)).pk
