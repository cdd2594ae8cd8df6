"""/api/v1/dashboards/: the page's figures as JSON; bad input a Chinese
problem; each role; another subtree's node 404; a pinned statement count."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
URL = reverse("api:dashboards-list")


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_dashboard_of_the_own_node_and_of_a_village(tree, people, world, django_assert_max_num_queries):
    client = _client(people.street)
    with django_assert_max_num_queries(43):  # measured: the page's panels without a session (force_authenticate)
        answer = client.get(URL)
    assert answer.status_code == 200
    data = answer.json()
    assert data["node"]["id"] == tree.subdistrict.pk
    assert data["panels"] == [
        "matters",
        "key_villages",
        "mediation",
        "safety",
        "addresses",
        "relocation",
        "care",
        "indicators",
    ]
    assert "registration" not in data
    assert (
        data["matters"]["open"]["value"],
        data["matters"]["overdue"]["value"],
        data["matters"]["late3"]["value"],
    ) == (6, 3, 1)
    assert data["addresses"]["verified"]["value"] == 1
    village = _client(people.street).get(URL, {"node": tree.village_a.pk, "days": 90}).json()
    assert village["node"]["id"] == tree.village_a.pk and len(village["matters"]["trend"]) == 90
    assert village["matters"]["open"]["url"] == f"/matters/?node={tree.village_a.pk}&state=open"


@pytest.mark.parametrize(
    ("query", "message"),
    [({"days": "7"}, "趋势区间"), ({"node": "abc"}, "节点须为正整数"), ({"node": "0"}, "节点须为正整数")],
)
def test_bad_input_is_a_chinese_problem(people, query, message):
    answer = _client(people.street).get(URL, query)
    assert answer.status_code == 400
    assert message in answer.content.decode()


def test_roles_and_subtrees(tree, people):
    assert _client().get(URL).status_code in (401, 403)
    assert _client(people.mediator).get(URL).status_code == 403
    assert _client(people.village_a).get(URL, {"node": tree.village_b.pk}).status_code == 404
    assert _client(people.grid_a1).get(URL, {"node": tree.village_a.pk}).status_code == 404
    assert _client(people.street).get(URL, {"node": tree.unit_a1.pk}).status_code == 404
    grid = _client(people.grid_a1).get(URL).json()
    assert grid["panels"] == ["matters", "safety", "addresses", "care"]
    window = _client(people.window).get(URL).json()
    assert window["node"] is None and window["panels"] == ["registration"]
    assert len(window["registration"]["months"]) == 12
