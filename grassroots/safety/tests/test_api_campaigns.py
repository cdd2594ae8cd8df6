"""/api/v1/safety/campaigns: the list, one with its coverage per village and
grid, opening one; problems on bad input (nothing written), roles and
another subtree (404)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.core.actors import SYSTEM

from ..models import Campaign, PremisesKind
from ..services.campaigns import CampaignInput, campaign_open
from .support import inspect, premises_at

pytestmark = pytest.mark.django_db
BASE = "/api/v1/safety/campaigns"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def opened(node, **changes):
    today = timezone.localdate()
    values = {"title": "打非治违", "node": node, "starts_on": today, "due_on": today}
    values.update(changes)
    return campaign_open(actor=SYSTEM, data=CampaignInput(**values))


def test_open_list_and_coverage(tree, people):
    done = premises_at(tree.grid_a1)
    premises_at(tree.grid_a1, name="二号仓库")
    premises_at(tree.grid_a2, name="三号仓库")
    premises_at(tree.grid_a1, name="小商店", kind=PremisesKind.SMALL_SHOP)
    inspect(done, actor=people.grid_a)
    today = timezone.localdate().isoformat()
    client = api(people.village_a)
    answer = client.post(
        BASE,
        {
            "title": "仓库专项检查",
            "node": tree.village_a.pk,
            "kinds": ["warehouse"],
            "starts_on": today,
            "due_on": today,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["title"] == "仓库专项检查" and data["kinds"] == ["warehouse"] and data["node"] == tree.village_a.pk
    coverage = data["coverage"]
    assert (coverage["total"]["total"], coverage["total"]["done"]) == (3, 1)
    [village] = coverage["villages"]
    assert [(g["label"], g["total"], g["done"]) for g in village["grids"]] == [
        (tree.grid_a1.label, 2, 1),
        (tree.grid_a2.label, 1, 0),
    ]
    assert {row["name"] for row in coverage["todo"]} == {"二号仓库", "三号仓库"}
    campaign = Campaign.objects.get(pk=data["id"])
    assert campaign.opened_by == people.village_a
    # A grid worker sees the village's campaign, and only their grid's part of it.
    theirs = api(people.grid_a).get(f"{BASE}/{campaign.pk}").json()["coverage"]
    assert (theirs["total"]["total"], theirs["total"]["done"]) == (2, 1)
    listed = api(people.grid_a).get(BASE).json()["results"]
    assert [row["id"] for row in listed] == [campaign.pk]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "长" * 101}, "title"),
        ({"node": "abc"}, "node"),
        ({"node": 10**30}, "node"),
        ({"kinds": ["castle"]}, "kinds"),
        ({"kinds": "warehouse"}, "kinds"),
        ({"starts_on": "明天"}, "starts_on"),
        ({"due_on": "2020-01-01"}, "due_on"),
        ({"due_on": None}, "due_on"),
    ],
)
def test_bad_input_is_a_chinese_problem_and_writes_nothing(tree, people, change, field):
    values = {"title": "打非治违", "node": tree.village_a.pk, "starts_on": "2026-03-01", "due_on": "2026-03-31"}
    answer = api(people.village_a).post(BASE, {**values, **change}, format="json")
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    problem = answer.json()
    assert field in str(problem) and any("\u4e00" <= ch <= "\u9fff" for ch in problem["detail"])
    assert not Campaign.objects.exists()


def test_a_grid_is_not_a_campaign_place(tree, people):
    values = {"title": "打非治违", "node": tree.grid_a1.pk, "starts_on": "2026-03-01", "due_on": "2026-03-31"}
    answer = api(people.village_a).post(BASE, values, format="json")
    assert answer.status_code == 400 and answer.json()["code"] == "node_level"
    assert not Campaign.objects.exists()


def test_roles_and_other_subtree(tree, people):
    campaign = opened(tree.village_a)
    values = {"title": "打非治违", "node": tree.village_a.pk, "starts_on": "2026-03-01", "due_on": "2026-03-31"}
    assert api().get(BASE).status_code in (401, 403)
    assert api().post(BASE, values, format="json").status_code in (401, 403)
    assert api(people.window).get(BASE).status_code == 403
    assert api(people.window).get(f"{BASE}/{campaign.pk}").status_code == 403
    assert api(people.grid_a).post(BASE, values, format="json").status_code == 403
    other = api(people.village_b)
    assert other.get(f"{BASE}/{campaign.pk}").status_code == 404
    assert other.get(BASE).json()["results"] == []
    assert other.post(BASE, values, format="json").status_code == 404
    assert Campaign.objects.count() == 1


def test_list_query_count(tree, people, django_assert_max_num_queries):
    for n in range(6):
        opened(tree.village_a, title=f"专项{n}")
    premises_at(tree.grid_a1)
    client = api(people.street)
    with django_assert_max_num_queries(3):
        rows = client.get(BASE).json()["results"]
    assert len(rows) == 6
    with django_assert_max_num_queries(7):
        assert client.get(f"{BASE}/{rows[0]['id']}").json()["coverage"]["total"]["total"] == 1
