"""/api/v1/safety/statistics: the statistics page's figures with the same
filters (month, village or grid); bad filters are Chinese problems; roles
and another subtree (404); a fixed number of queries."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ..models import PremisesKind
from ..selectors import safety_statistics
from ..services import hazards
from .support import inspect, premises_at, raised_hazard

pytestmark = pytest.mark.django_db
BASE = "/api/v1/safety/statistics"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def figures(tree, people):
    warehouse = premises_at(tree.grid_a1)
    premises_at(tree.grid_b1, kind=PremisesKind.SMALL_SHOP)
    inspection = inspect(warehouse, actor=people.grid_a, fail=2)
    hazards.hazard_issue_notice(actor=people.grid_a, hazard=raised_hazard(inspection), days=5)
    return inspection


def test_same_figures_as_the_page(tree, people, figures):
    data = api(people.street).get(BASE).json()
    stats = safety_statistics(user=people.street, today=timezone.localdate())
    assert data["month"] is None and data["node"] is None
    assert data["total"]["hazards"] == stats.total.hazards == 1 and data["total"]["noticed"] == 1
    assert [row["label"] for row in data["places"]] == [tree.village_a.label, tree.village_b.label]
    assert data["places"][0]["key"] == str(tree.village_a.pk) and data["places"][1]["premises"] == 1
    assert {row["key"] for row in data["kinds"]} == {PremisesKind.WAREHOUSE, PremisesKind.SMALL_SHOP}
    assert len(data["trend"]) == 12 and data["trend"][-1]["inspections"] == 1
    month = timezone.localdate().strftime("%Y-%m")
    grids = api(people.street).get(BASE, {"month": month, "node": tree.village_a.pk}).json()
    assert grids["month"] == month and grids["node"] == tree.village_a.pk
    assert [row["label"] for row in grids["places"]] == [tree.grid_a1.label, tree.grid_a2.label]
    assert grids["total"]["inspections"] == 1 and grids["total"]["premises"] == 1
    empty = api(people.street).get(BASE, {"month": "2020-01"}).json()
    assert empty["total"]["inspections"] == 0 and empty["trend"][-1]["month"] == "2020-01"


@pytest.mark.parametrize(
    "params",
    [{"month": "2026-13"}, {"month": "十月"}, {"month": "0000-01"}, {"node": "abc"}, {"node": str(10**30)}],
)
def test_bad_filters_are_chinese_problems(people, params):
    answer = api(people.street).get(BASE, params)
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in answer.json()["detail"])


def test_roles_and_other_subtree(tree, people, figures):
    assert api().get(BASE).status_code in (401, 403)
    assert api(people.window).get(BASE).status_code == 403
    assert api(people.village_b).get(BASE, {"node": tree.village_a.pk}).status_code == 404
    assert api(people.grid_b).get(BASE, {"node": tree.grid_a1.pk}).status_code == 404
    # Only villages and grids: the subdistrict is not a place of the table.
    assert api(people.street).get(BASE, {"node": tree.subdistrict.pk}).status_code == 404
    theirs = api(people.village_b).get(BASE).json()
    assert theirs["total"]["hazards"] == 0 and theirs["total"]["premises"] == 1
    grid = api(people.grid_a).get(BASE).json()
    assert [row["label"] for row in grid["places"]] == [tree.grid_a1.label] and grid["total"]["hazards"] == 1


def test_query_count_does_not_grow(tree, people, figures, django_assert_max_num_queries):
    client = api(people.street)
    with django_assert_max_num_queries(8):
        client.get(BASE)
    for n in range(5):
        inspect(premises_at(tree.grid_b1, name=f"小作坊{n}", kind=PremisesKind.SMALL_WORKSHOP), actor=people.grid_b)
    with django_assert_max_num_queries(8):
        data = client.get(BASE, {"node": tree.village_b.pk}).json()
    assert data["total"]["inspections"] == 5
    assert data["trend"][-1]["month"] == timezone.localdate().strftime("%Y-%m")
