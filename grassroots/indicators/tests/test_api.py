"""/api/v1/indicators/: success, bad input (Chinese RFC 7807, nothing
written), roles, and another subtree's objects (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ..models import Ledger, Value
from ..states import State
from .support import FIRST, indicator, ledger_at
from .xlsx import workbook

pytestmark = pytest.mark.django_db
VALUES = reverse("api:indicators-value-list")


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_definitions_and_a_month_table(tree, people):
    answer = _client(people.village_a).get(reverse("api:indicators-definition-list"))
    assert answer.status_code == 200 and answer.json()["results"][0]["name"] == FIRST
    ledger_at(tree.subdistrict)
    table = _client(people.station).get(VALUES, {"node": tree.subdistrict.pk, "month": "2023-09"})
    assert table.status_code == 200
    first = table.json()["rows"][0]
    assert first["value"] == "56.0000" and first["cumulative"] == "56.0000" and first["yoy_percent"] is None
    assert table.json()["ledger"]["state"] == State.DRAFT


def test_set_a_value_and_move_the_month(tree, people):
    body = {"node": tree.subdistrict.pk, "month": "2023-09", "indicator": indicator().pk, "value": "56"}
    assert _client(people.station).post(VALUES, body, format="json").status_code == 200
    ledger = Ledger.objects.get()
    reviewer = _client(people.reviewer)
    same = _client(people.station).post(reverse("api:indicators-ledger-review", args=[ledger.pk]))
    assert same.status_code == 403 and "另一人" in same.json()["detail"]
    assert reviewer.post(reverse("api:indicators-ledger-review", args=[ledger.pk])).json()["state"] == "reviewed"
    assert reviewer.post(reverse("api:indicators-ledger-return", args=[ledger.pk])).json()["state"] == "draft"
    reviewer.post(reverse("api:indicators-ledger-review", args=[ledger.pk]))
    assert reviewer.post(reverse("api:indicators-ledger-lock", args=[ledger.pk])).json()["state"] == "locked"
    again = reviewer.post(reverse("api:indicators-ledger-lock", args=[ledger.pk]))
    assert again.status_code == 409 and "已锁定" in again.json()["detail"]
    refused = _client(people.station).post(VALUES, {**body, "value": "57"}, format="json")
    assert refused.status_code == 400 and "原因" in refused.json()["detail"]
    fixed = _client(people.station).post(VALUES, {**body, "value": "57", "reason": "更正"}, format="json")
    assert fixed.status_code == 200 and Value.objects.get().value == 57


@pytest.mark.parametrize(
    "change",
    [
        {"value": "abc"},
        {"value": ""},
        {"month": "2023-13"},
        {"node": "x"},
        {"indicator": 0},
        {"value": "1" * 40},
    ],
)
def test_bad_input_is_a_chinese_problem_and_writes_nothing(tree, people, change):
    body = {"node": tree.subdistrict.pk, "month": "2023-09", "indicator": indicator().pk, "value": "56", **change}
    answer = _client(people.station).post(VALUES, body, format="json")
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/problem+json")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(answer.json()))
    assert not Ledger.objects.exists()


def test_roles_and_subtrees(tree, people):
    body = {"node": tree.village_b.pk, "month": "2023-09", "indicator": indicator().pk, "value": "1"}
    assert _client().post(VALUES, body, format="json").status_code in (401, 403)
    assert _client(people.grid_a).get(VALUES, {"node": tree.village_a.pk, "month": "2023-09"}).status_code == 403
    assert _client(people.window).post(VALUES, body, format="json").status_code == 403
    assert _client(people.village_a).post(VALUES, body, format="json").status_code == 404
    assert _client(people.village_a).get(VALUES, {"node": tree.village_b.pk, "month": "2023-09"}).status_code == 404
    ledger = ledger_at(tree.village_b)
    assert _client(people.village_a).get(reverse("api:indicators-ledger-detail", args=[ledger.pk])).status_code == 404
    assert _client(people.village_b).post(reverse("api:indicators-ledger-review", args=[ledger.pk])).status_code == 403
    assert Ledger.objects.get(pk=ledger.pk).state == State.DRAFT
    listed = _client(people.village_a).get(reverse("api:indicators-ledger-list")).json()["results"]
    assert listed == []


def test_import(tree, people):
    url = reverse("api:indicators-value-import")
    bad = workbook([[tree.subdistrict.code, "", "2023-09", FIRST, "", "很多"]])
    answer = _client(people.station).post(url, {"file": bad}, format="multipart")
    assert answer.status_code == 400 and answer.json()["lines"][0].startswith("第 2 行")
    assert not Ledger.objects.exists()
    good = workbook([[tree.subdistrict.code, "", "2023-09", FIRST, "", "56"]])
    answer = _client(people.station).post(url, {"file": good}, format="multipart")
    assert answer.status_code == 201 and answer.json() == {"imported": 1}
    assert _client(people.station).post(url, {}, format="multipart").status_code == 400


def test_lists_have_a_fixed_query_count(tree, people, django_assert_max_num_queries):
    for node in (tree.subdistrict, tree.village_a, tree.village_b):
        ledger_at(node)
    client = _client(people.station)
    with django_assert_max_num_queries(8):
        listed = client.get(reverse("api:indicators-ledger-list"))
    assert listed.status_code == 200 and listed.json()["count"] == 3
    with django_assert_max_num_queries(8):
        table = client.get(VALUES, {"node": tree.subdistrict.pk, "month": "2023-09"})
    assert len(table.json()["rows"]) == 7
