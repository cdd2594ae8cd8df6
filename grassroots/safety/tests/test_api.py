"""/api/v1/safety/premises: per endpoint, success, bad input (400 with a
Chinese problem detail, nothing written), roles, and another subtree (404).
The phone is only answered masked."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from grassroots.addresses.tests.support import room

from ..models import Premises, PremisesEvent
from ..states import State
from .support import PHONE, premises_at

pytestmark = pytest.mark.django_db
BASE = "/api/v1/safety/premises"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def body(tree, **changes):
    data = {
        "name": "东风物流仓库",
        "kind": "warehouse",
        "risk_level": "high",
        "node": tree.grid_a1.pk,
        "operator_name": "刘经理",
        "operator_phone": PHONE,
    }
    data.update(changes)
    return data


def test_create_list_and_retrieve_masked(tree, people, django_capture_on_commit_callbacks):
    address = room(tree.unit_a1, "101")
    with django_capture_on_commit_callbacks(execute=True):
        created = api(people.grid_a).post(BASE, body(tree, address=address.pk), format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["operator_phone_masked"] == "138****5678" and PHONE not in str(data)
    assert data["address_text"] == address.full_text and data["state"] == State.OPERATING
    listed = api(people.street).get(BASE, {"q": "仓库"}).json()
    assert [row["id"] for row in listed["results"]] == [data["id"]]
    assert PHONE not in str(listed)
    assert api(people.village_a).get(f"{BASE}/{data['id']}").json()["name"] == "东风物流仓库"


def test_bad_input_is_a_problem_and_writes_nothing(tree, people):
    detail = problem(api(people.grid_a).post(BASE, body(tree, operator_phone="12345"), format="json"), 400)
    assert "手机" in str(detail) or "号码" in str(detail)
    problem(api(people.grid_a).post(BASE, body(tree, kind="castle"), format="json"), 400)
    problem(api(people.grid_a).post(BASE, body(tree, node=tree.grid_b1.pk), format="json"), 404)
    assert not Premises.objects.exists()


def test_other_subtree_is_404_and_wrong_role_403(tree, people):
    theirs = premises_at(tree.grid_b1)
    problem(api(people.grid_a).get(f"{BASE}/{theirs.pk}"), 404)
    problem(api(people.village_a).post(f"{BASE}/{theirs.pk}/close", {"reason": "x"}, format="json"), 404)
    problem(api(people.window).get(BASE), 403)
    mine = premises_at(tree.grid_a1)
    problem(api(people.grid_a).post(f"{BASE}/{mine.pk}/close", {"reason": "已拆除"}, format="json"), 403)
    assert Premises.objects.get(pk=mine.pk).state == State.OPERATING


def test_update_close_reopen_and_events(tree, people):
    premises = premises_at(tree.grid_a1)
    client = api(people.village_a)
    updated = client.put(f"{BASE}/{premises.pk}", body(tree, operator_phone=None, risk_level="major"), format="json")
    assert updated.status_code == 200, updated.content
    premises.refresh_from_db()
    assert premises.risk_level == "major" and premises.operator_phone == PHONE
    problem(client.post(f"{BASE}/{premises.pk}/close", {}, format="json"), 400)
    closed = client.post(f"{BASE}/{premises.pk}/close", {"reason": "已拆除"}, format="json")
    assert closed.json()["state"] == State.CLOSED
    problem(client.post(f"{BASE}/{premises.pk}/close", {"reason": "再次"}, format="json"), 409)
    problem(client.put(f"{BASE}/{premises.pk}", body(tree), format="json"), 409)
    assert client.post(f"{BASE}/{premises.pk}/reopen").json()["state"] == State.OPERATING
    events = client.get(f"{BASE}/{premises.pk}/events").json()
    assert [e["action"] for e in events] == ["create", "edit", "close", "reopen"]
    assert PremisesEvent.objects.filter(premises=premises).count() == 4
