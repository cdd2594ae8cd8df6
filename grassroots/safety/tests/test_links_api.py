"""/api/v1/safety/matters/{id}/hazard-lead and /hazards/{id}/open-matter
(ADR 0039): success, bad input (Chinese RFC 7807, nothing written), each
role, and another subtree's object (404)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from grassroots.matters.models import Matter
from grassroots.matters.tests.factories import category

from ..models import Hazard, Premises
from ..states import HazardState
from .support import inspect, premises_at, raised_hazard
from .support_links import major_hazard, resident_matter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]
LEAD = "/api/v1/safety/matters/{}/hazard-lead"
OPEN = "/api/v1/safety/hazards/{}/open-matter"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_lead_with_a_premises_then_conflict(tree, people):
    matter = resident_matter(tree.grid_a1)
    premises = premises_at(tree.grid_a1)
    body = {"description": "门口堆物堵塞消防通道", "level": "major", "premises": premises.pk}
    answer = api(people.grid_a).post(LEAD.format(matter.pk), body, format="json")
    assert answer.status_code == 201
    data = answer.json()
    assert data["source"] == "matter" and data["matter"] == matter.pk and data["inspection"] is None
    assert data["state"] == HazardState.FOUND and data["level"] == "major" and data["premises"] == premises.pk
    again = api(people.village_a).post(LEAD.format(matter.pk), body, format="json")
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert Hazard.objects.count() == 1


def test_lead_with_a_new_premises(tree, people):
    matter = resident_matter(tree.unit_a1)
    body = {
        "description": "楼道飞线充电",
        "new_premises": {"name": "3号楼楼道", "kind": "courtyard", "operator_name": "物业李经理"},
    }
    answer = api(people.grid_a).post(LEAD.format(matter.pk), body, format="json")
    assert answer.status_code == 201
    premises = Premises.objects.get(name="3号楼楼道")
    assert answer.json()["premises"] == premises.pk and premises.node_id == tree.grid_a1.pk


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "description"),
        ({"description": "堵塞"}, "premises"),
        (
            {
                "description": "堵塞",
                "premises": 1,
                "new_premises": {"name": "x", "kind": "warehouse", "operator_name": "y"},
            },
            "premises",
        ),
        ({"description": "堵塞", "premises": "abc"}, "premises"),
        ({"description": "堵塞", "premises": 10**30}, "premises"),
        ({"description": "堵塞", "level": "fatal", "premises": 1}, "level"),
        ({"description": "x" * 201, "premises": 1}, "description"),
        (
            {"description": "堵塞", "new_premises": {"name": "仓库", "kind": "moon", "operator_name": "y"}},
            "new_premises",
        ),
        (
            {
                "description": "堵塞",
                "new_premises": {"name": "仓库", "kind": "warehouse", "operator_name": "y", "operator_phone": "12"},
            },
            "operator_phone",
        ),
    ],
)
def test_lead_bad_input_writes_nothing(tree, people, body, field):
    matter = resident_matter(tree.grid_a1)
    premises_at(tree.grid_a1)
    places = Premises.objects.count()
    answer = api(people.grid_a).post(LEAD.format(matter.pk), body, format="json")
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
    assert field in answer.content.decode()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in answer.json()["detail"] + answer.content.decode())
    assert Hazard.objects.count() == 0 and Premises.objects.count() == places


def test_lead_refused_for_another_category(tree, people):
    matter = resident_matter(tree.grid_a1, cat=category())
    premises = premises_at(tree.grid_a1)
    answer = api(people.grid_a).post(
        LEAD.format(matter.pk), {"description": "x", "premises": premises.pk}, format="json"
    )
    assert answer.status_code == 400 and "安全隐患" in answer.json()["detail"]


def test_lead_roles_and_subtree(tree, people):
    matter = resident_matter(tree.grid_a1)
    premises = premises_at(tree.grid_a1)
    body = {"description": "堵塞", "premises": premises.pk}
    assert api().post(LEAD.format(matter.pk), body, format="json").status_code in (401, 403)
    assert api(people.window).post(LEAD.format(matter.pk), body, format="json").status_code == 403
    assert api(people.grid_b).post(LEAD.format(matter.pk), body, format="json").status_code == 404
    assert api(people.grid_a).post(LEAD.format(999999), body, format="json").status_code == 404
    # A premises outside the caller's subtree is not there either.
    other = premises_at(tree.grid_b1, name="店子仓库")
    answer = api(people.grid_a).post(
        LEAD.format(matter.pk), {"description": "堵塞", "premises": other.pk}, format="json"
    )
    assert answer.status_code == 404
    assert Hazard.objects.count() == 0


def test_open_matter_is_idempotent(tree, people):
    hazard = major_hazard(premises_at(tree.grid_a1), actor=people.grid_a)
    before = Matter.objects.count()
    first = api(people.grid_a).post(OPEN.format(hazard.pk))
    assert first.status_code == 201
    data = first.json()
    assert data["hazard"] == hazard.pk and data["state"] == "reported" and data["urgency"] == "urgent"
    second = api(people.village_a).post(OPEN.format(hazard.pk))
    assert second.status_code == 200 and second.json()["id"] == data["id"]
    assert Matter.objects.count() == before + 1
    assert api(people.grid_a).get(f"/api/v1/safety/hazards/{hazard.pk}").json()["matter"] == data["id"]


def test_open_matter_refusals(tree, people):
    premises = premises_at(tree.grid_a1)
    general = raised_hazard(inspect(premises, actor=people.grid_a, fail=1))
    major = major_hazard(premises_at(tree.grid_a1, name="二号仓库"), actor=people.grid_a)
    before = Matter.objects.count()
    refused = api(people.grid_a).post(OPEN.format(general.pk))
    assert refused.status_code == 400 and "重大隐患" in refused.json()["detail"]
    assert api().post(OPEN.format(major.pk)).status_code in (401, 403)
    assert api(people.window).post(OPEN.format(major.pk)).status_code == 403
    assert api(people.grid_b).post(OPEN.format(major.pk)).status_code == 404
    assert api(people.grid_a).post(OPEN.format("12345678901234567890123")).status_code == 404
    assert Matter.objects.count() == before
