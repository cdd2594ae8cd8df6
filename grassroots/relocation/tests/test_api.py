"""/api/v1/relocation/: per endpoint, success, bad input (a Chinese RFC 7807
problem, nothing written), roles, and another subtree (404). The household
head is only answered masked."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from grassroots.mediation.models import DisputeCase

from ..models import Unit, UnitEvent
from ..states import Action, State
from .support import ID_NUMBER, PHONE, advance_to, unit_at

pytestmark = pytest.mark.django_db
BASE = "/api/v1/relocation"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_each_stage_is_its_own_post(unit, people):
    client = api(people.worker_a)
    for action in Action.values:
        body = {"amount": "100.50"} if action in ("assess", "sign", "compensate") else {}
        answer = client.post(f"{BASE}/units/{unit.pk}/{action}", body, format="json")
        assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["state"] == State.COMPENSATED and data["paid_amount"] == "100.50"
    assert data["head_phone_masked"] == "138****5678" and data["head_name_masked"] == "张**"
    assert PHONE not in str(data) and ID_NUMBER not in str(data) and "张三丰" not in str(data)


def test_list_detail_and_progress(tree, project, unit, people):
    advance_to(unit, State.SIGNED)
    unit_at(project, tree.village_b, "B-1")
    listed = api(people.worker_a).get(f"{BASE}/units", {"project": project.pk}).json()
    assert [row["number"] for row in listed["results"]] == ["A-001"]
    assert PHONE not in str(listed)
    mine = api(people.worker_a).get(f"{BASE}/units", {"mine": "true"}).json()
    assert [row["id"] for row in mine["results"]] == [unit.pk]
    progress = api(people.office).get(f"{BASE}/projects/{project.pk}/progress").json()
    assert (progress["total"], progress["signed"], progress["rate"]) == (2, 1, "50.00")
    assert [b["label"] for b in progress["batches"]] == ["第一批次"]
    assert api(people.worker_a).get(f"{BASE}/projects").json()["results"][0]["name"] == project.name


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"on": "not-a-date"}, "on"),
        ({"amount": "x"}, "amount"),
        ({"amount": "1.234"}, "amount"),
        ({"note": "长" * 501}, "note"),
    ],
)
def test_bad_input_is_a_chinese_problem_and_writes_nothing(unit, people, body, field):
    advance_to(unit, State.ASSESSED)
    before = UnitEvent.objects.count()
    detail = problem(api(people.worker_a).post(f"{BASE}/units/{unit.pk}/sign", body, format="json"), 400)
    assert field in str(detail)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(detail))
    assert UnitEvent.objects.count() == before
    assert Unit.objects.get(pk=unit.pk).state == State.ASSESSED


def test_missing_amount_and_wrong_stage(unit, people):
    advance_to(unit, State.ASSESSED)
    detail = problem(api(people.worker_a).post(f"{BASE}/units/{unit.pk}/sign", {}, format="json"), 400)
    assert "协议补偿金额" in str(detail)
    conflict = problem(api(people.worker_a).post(f"{BASE}/units/{unit.pk}/demolish", {}, format="json"), 409)
    assert "已评估" in str(conflict)
    assert Unit.objects.get(pk=unit.pk).state == State.ASSESSED


def test_roles_and_subtrees(tree, project, unit, people):
    url = f"{BASE}/units/{unit.pk}/confirm"
    assert api().post(url, {}, format="json").status_code in (401, 403)
    problem(api(people.grid_a).post(url, {}, format="json"), 403)
    problem(api(people.security).post(url, {}, format="json"), 403)
    problem(api(people.worker_b).post(url, {}, format="json"), 404)
    problem(api(people.worker_b).get(f"{BASE}/units/{unit.pk}"), 404)
    assert Unit.objects.get(pk=unit.pk).state == State.PENDING
    other = unit_at(project, tree.village_b, "B-2")
    problem(api(people.worker_a).post(f"{BASE}/units/{other.pk}/handover", {"reason": "x" * 20}, format="json"), 404)
    problem(api(people.worker_a).get(f"{BASE}/units/99999999999999999999"), 404)


def test_handover_answers_the_case(unit, people):
    answer = api(people.worker_a).post(
        f"{BASE}/units/{unit.pk}/handover", {"reason": "户主对补偿标准有异议,申请调解中心介入。"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["dispute_number"] == DisputeCase.objects.get().number
    problem(api(people.worker_a).post(f"{BASE}/units/{unit.pk}/handover", {"reason": ""}, format="json"), 400)
    assert DisputeCase.objects.count() == 1


def test_unit_list_query_count(tree, project, people, django_assert_max_num_queries):
    for n in range(12):
        unit_at(project, tree.village_a, f"Q-{n}", worker=people.worker_a)
    client = api(people.office)
    with django_assert_max_num_queries(6):
        answer = client.get(f"{BASE}/units")
    assert answer.json()["count"] == 12
