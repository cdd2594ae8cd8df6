"""Sweep campaigns: opening (who, where, dates), coverage per village and
grid from the inspections in the window, the pages and scope."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.core.errors import NotFound, PermissionDenied

from ..errors import SafetyError
from ..models import Campaign, PremisesKind
from ..selectors import campaign_coverage
from ..services.campaigns import CampaignInput, campaign_open
from .support import inspect, premises_at

pytestmark = pytest.mark.django_db


def _input(node, **changes):
    today = timezone.localdate()
    values = {
        "title": "打非治违专项行动",
        "node": node,
        "starts_on": today - datetime.timedelta(days=7),
        "due_on": today + datetime.timedelta(days=7),
    }
    values.update(changes)
    return CampaignInput(**values)


def test_open_rules(tree, people):
    with pytest.raises(PermissionDenied):
        campaign_open(actor=people.grid_a, data=_input(tree.grid_a1))
    with pytest.raises(NotFound):
        campaign_open(actor=people.village_a, data=_input(tree.village_b))
    with pytest.raises(SafetyError):
        campaign_open(actor=people.street, data=_input(tree.grid_a1))
    with pytest.raises(SafetyError):
        campaign_open(
            actor=people.street,
            data=_input(tree.subdistrict, due_on=timezone.localdate() - datetime.timedelta(days=30)),
        )
    assert not Campaign.objects.exists()


def test_coverage_per_village_and_grid(tree, people):
    warehouse = premises_at(tree.grid_a1)
    premises_at(tree.grid_a1, name="第二仓库")
    premises_at(tree.grid_b1, name="店子街仓库")
    premises_at(tree.grid_a1, name="小吃店", kind=PremisesKind.SMALL_RESTAURANT)
    inspect(warehouse, actor=people.grid_a)
    campaign = campaign_open(actor=people.street, data=_input(tree.subdistrict, kinds=[PremisesKind.WAREHOUSE]))
    total, villages, todo = campaign_coverage(campaign=campaign, user=people.street)
    assert (total.done, total.total, total.percent) == (1, 3, 33.3)
    assert [(v.label, v.done, v.total) for v in villages] == [
        (tree.village_a.label, 1, 2),
        (tree.village_b.label, 0, 1),
    ]
    assert villages[0].grids[0].percent == 50.0
    assert {p.name for p in todo} == {"第二仓库", "店子街仓库"}
    mine, _villages, _todo = campaign_coverage(campaign=campaign, user=people.grid_b)
    assert (mine.done, mine.total) == (0, 1)


def test_pages(client, tree, people):
    premises_at(tree.grid_a1)
    client.force_login(people.village_a)
    assert client.get(reverse("safety:campaign-open")).status_code == 200
    today = timezone.localdate()
    bad = client.post(reverse("safety:campaign-open"), {"title": "", "node": tree.village_a.pk})
    assert bad.status_code == 400
    done = client.post(
        reverse("safety:campaign-open"),
        {
            "title": "仓库专项",
            "node": tree.village_a.pk,
            "kinds": ["warehouse"],
            "starts_on": today.isoformat(),
            "due_on": (today + datetime.timedelta(days=10)).isoformat(),
        },
    )
    campaign = Campaign.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("safety:campaign", args=[campaign.pk])
    page = client.get(done["Location"]).content.decode()
    assert 'data-testid="done">0/1<' in page and page.count('data-testid="todo-row"') == 1
    client.force_login(people.grid_a)
    assert client.get(reverse("safety:campaigns")).content.decode().count('data-testid="campaign-row"') == 1
    client.force_login(people.grid_b)
    assert client.get(reverse("safety:campaign", args=[campaign.pk])).status_code == 404
