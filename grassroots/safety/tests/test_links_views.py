"""The pages of the hazard–matter link (ADR 0039): the matter page offers
the lead to inspecting staff and then shows the hazard's progress; the lead
page keeps what was typed on bad input; the tracking page shows only coarse
progress; a major hazard's page opens one matter however often it is asked."""

from __future__ import annotations

import pytest

from grassroots.matters.models import Matter
from grassroots.matters.tests.factories import category

from ..models import Hazard, Premises
from ..services.links import hazard_from_matter
from .support import premises_at
from .support_links import lead, major_hazard, resident_matter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]


def test_the_matter_page_offers_the_lead_then_shows_progress(client, tree, people):
    matter = resident_matter(tree.grid_a1)
    client.force_login(people.grid_a)
    html = client.get(f"/matters/{matter.pk}/").content.decode()
    assert 'data-testid="hazard-lead"' in html and f"/safety/leads/{matter.pk}/" in html
    hazard_from_matter(actor=people.grid_a, matter=matter, data=lead(premises_at(tree.grid_a1)))
    html = client.get(f"/matters/{matter.pk}/").content.decode()
    assert 'data-testid="hazard-lead"' not in html
    assert 'data-testid="linked-hazard"' in html and "已转安全检查核查,待下达整改通知" in html


def test_no_lead_for_another_category(client, tree, people):
    matter = resident_matter(tree.grid_a1, cat=category())
    client.force_login(people.grid_a)
    assert 'data-testid="hazard-lead"' not in client.get(f"/matters/{matter.pk}/").content.decode()
    page = client.get(f"/safety/leads/{matter.pk}/")
    assert page.status_code == 200 and 'data-testid="lead-closed"' in page.content.decode()


def test_lead_page_bad_input_then_new_premises(client, tree, people):
    matter = resident_matter(tree.grid_a1, location="村东仓库门口")
    client.force_login(people.grid_a)
    page = client.get(f"/safety/leads/{matter.pk}/")
    assert page.status_code == 200 and matter.title in page.content.decode()
    assert client.post(f"/safety/leads/{matter.pk}/", {}).status_code == 400  # an empty post is told, not ignored
    bad = client.post(
        f"/safety/leads/{matter.pk}/",
        {"description": "堆物堵塞通道", "level": "general", "premises": "new", "new_kind": "warehouse"},
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "请填写场所名称。" in body and "堆物堵塞通道" in body  # kept, and told next to the field
    assert Hazard.objects.count() == 0 and Premises.objects.count() == 0
    done = client.post(
        f"/safety/leads/{matter.pk}/",
        {
            "description": "堆物堵塞通道",
            "level": "general",
            "premises": "new",
            "new_name": "村东物流仓库",
            "new_kind": "warehouse",
            "new_operator_name": "刘经理",
            "new_location": "村东仓库门口",
        },
    )
    hazard = Hazard.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/safety/hazards/{hazard.pk}/"
    assert hazard.premises.name == "村东物流仓库" and hazard.premises.node_id == tree.grid_a1.pk
    html = client.get(done["Location"]).content.decode()
    assert 'data-testid="linked-matter"' in html and matter.number in html and "群众反映线索" in html


def test_lead_page_roles_and_subtree(client, tree, people):
    matter = resident_matter(tree.grid_a1)
    client.force_login(people.grid_b)
    assert client.get(f"/safety/leads/{matter.pk}/").status_code == 404
    assert client.post(f"/safety/leads/{matter.pk}/", {"description": "x"}).status_code == 404
    client.force_login(people.window)
    assert client.get(f"/safety/leads/{matter.pk}/").status_code == 403
    assert Hazard.objects.count() == 0


def test_tracking_page_shows_coarse_progress_only(client, tree, people):
    matter = resident_matter(tree.grid_a1)
    premises = premises_at(tree.grid_a1, name="东风物流仓库", operator_name="刘经理")
    hazard_from_matter(actor=people.grid_a, matter=matter, data=lead(premises, description="二楼违规住人"))
    html = client.get(f"/report/track/{matter.tracking_code}/").content.decode()
    assert 'data-testid="linked-progress"' in html and "安全隐患整改进展" in html
    for private in ("东风物流仓库", "刘经理", "13812345678", "二楼违规住人", people.grid_a.display_name):
        assert private not in html


def test_major_hazard_page_opens_one_matter(client, tree, people):
    hazard = major_hazard(premises_at(tree.grid_a1), actor=people.grid_a)
    client.force_login(people.grid_a)
    assert 'data-testid="open-matter"' in client.get(f"/safety/hazards/{hazard.pk}/").content.decode()
    before = Matter.objects.count()
    first = client.post(f"/safety/hazards/{hazard.pk}/open-matter/")
    second = client.post(f"/safety/hazards/{hazard.pk}/open-matter/")
    assert first.status_code == second.status_code == 302 and Matter.objects.count() == before + 1
    hazard.refresh_from_db()
    html = client.get(f"/safety/hazards/{hazard.pk}/").content.decode()
    assert hazard.matter is not None
    assert 'data-testid="open-matter"' not in html and hazard.matter.number in html
    client.force_login(people.grid_b)
    assert client.post(f"/safety/hazards/{hazard.pk}/open-matter/").status_code == 404
