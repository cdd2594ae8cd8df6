"""The project register: owner, budget and funding on a project; dated
milestones added in order and reached in order, the project's progress the
last reached one's. Services, pages and API with their refusals (Chinese,
nothing written), roles and another subtree (404)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError

from ..models import KeyProject, Milestone
from ..services import milestones, projects
from ..services.projects import ProjectInput

pytestmark = pytest.mark.django_db
BASE = "/api/v1/economy"
DAY = datetime.date(2026, 3, 1)


def _project(node, name="卫星产业园一期"):
    return projects.project_save(
        actor=SYSTEM,
        node=node,
        data=ProjectInput(
            name=name,
            level="district",
            stage="building",
            project_type="park",
            owner="街道经管站",
            budget=Decimal("38000000.00"),
            funding="专项债、街道自筹",
        ),
    )


def _api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_milestones_in_order_and_progress(tree, people):
    project = _project(tree.subdistrict)
    assert (project.project_type, project.owner, project.budget, project.progress) == (
        "park",
        "街道经管站",
        Decimal("38000000.00"),
        0,
    )
    milestones.milestone_add(actor=people.street, project=project, name="立项", planned_on=DAY, progress=10)
    milestones.milestone_add(
        actor=people.street, project=project, name="主体封顶", planned_on=DAY.replace(month=8), progress=60
    )
    for planned, progress, code in [
        (DAY.replace(month=2), 70, "planned_out_of_order"),
        (DAY.replace(month=9), 60, "progress_not_rising"),
        (DAY.replace(month=9), 101, "progress_invalid"),
    ]:
        with pytest.raises(DomainError) as exc:
            milestones.milestone_add(
                actor=people.street, project=project, name="x", planned_on=planned, progress=progress
            )
        assert exc.value.code == code
    with pytest.raises(DomainError) as exc:
        milestones.milestone_add(actor=people.village_a, project=project, name="x", planned_on=DAY, progress=99)
    assert exc.value.status == 403
    assert Milestone.objects.count() == 2
    first = milestones.milestone_reach(actor=people.street, project=project, day=DAY)
    assert first.name == "立项"
    project.refresh_from_db()
    assert project.progress == 10
    with pytest.raises(DomainError) as exc:
        milestones.milestone_reach(actor=people.street, project=project, day=DAY - datetime.timedelta(days=1))
    assert exc.value.code == "day_out_of_order"
    with pytest.raises(DomainError) as exc:
        milestones.milestone_reach(actor=people.street, project=project, day=datetime.date(2100, 1, 1))
    assert exc.value.code == "day_future"
    milestones.milestone_reach(actor=people.street, project=project, day=DAY.replace(month=7))
    with pytest.raises(DomainError) as exc:
        milestones.milestone_reach(actor=people.street, project=project, day=DAY.replace(month=7))
    assert exc.value.status == 409
    project.refresh_from_db()
    assert project.progress == 60


def test_milestone_pages(client, tree, people, django_assert_max_num_queries):
    project = _project(tree.subdistrict)
    client.force_login(people.street)
    url = reverse("economy:milestone-new", args=[project.pk])
    bad = client.post(url, {"name": "", "planned_on": "2026-13-01", "progress": "120"})
    text = bad.content.decode()
    assert bad.status_code == 400 and "请填写节点名称" in text and "进度应为 1 到 100 之间的整数" in text
    assert not Milestone.objects.exists()
    done = client.post(url, {"name": "立项", "planned_on": "2026-03-01", "progress": "20"})
    assert done.status_code == 302
    refused = client.post(url, {"name": "开工", "planned_on": "2026-02-01", "progress": "40"})
    assert refused.status_code == 400 and "计划日期不能早于上一节点" in refused.content.decode()
    reach = reverse("economy:milestone-reach", args=[project.pk])
    assert client.post(reach, {"day": ""}).status_code == 400
    assert client.post(reach, {"day": "2026-03-02"}).status_code == 302
    again = client.post(reach, {"day": "2026-03-03"})
    assert again.status_code == 400 and "所有节点都已达成" in again.content.decode()
    with django_assert_max_num_queries(14):
        detail = client.get(reverse("economy:project", args=[project.pk])).content.decode()
    assert 'data-testid="progress">20%' in detail and "✓ 2026-03-02" in detail and "专项债" in detail
    with django_assert_max_num_queries(14):
        overview = client.get(reverse("economy:overview")).content.decode()
    assert "卫星产业园一期 20%" in overview and 'id="progress-data"' in overview
    client.force_login(people.village_a)
    assert client.post(reach, {"day": "2026-03-02"}).status_code == 403
    other = _project(tree.village_b, name="龙湾便民市场")
    client.force_login(people.street_a)
    assert client.post(reverse("economy:milestone-new", args=[other.pk]), {"name": "x"}).status_code == 404


def test_milestone_api(tree, people):
    client = _api(people.street)
    created = client.post(
        f"{BASE}/projects",
        {
            "name": "龙湾便民市场",
            "level": "district",
            "stage": "building",
            "project_type": "market",
            "owner": "龙湾村",
            "budget": "1200000.00",
            "funding": "村集体自筹",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["project_type"], body["budget"], body["progress"], body["milestones"]) == (
        "market",
        "1200000.00",
        0,
        [],
    )
    bad = client.post(
        f"{BASE}/projects", {"name": "x", "level": "city", "stage": "building", "budget": "-1"}, format="json"
    )
    assert bad.status_code == 400 and "总投资不能小于零" in str(bad.json())
    pk = body["id"]
    added = client.post(
        f"{BASE}/projects/{pk}/milestones", {"name": "招商", "planned_on": "2026-04-01", "progress": 30}, format="json"
    )
    assert added.status_code == 201, added.content
    assert added.json()["milestones"][0]["name"] == "招商"
    refused = client.post(
        f"{BASE}/projects/{pk}/milestones", {"name": "", "planned_on": "x", "progress": 0}, format="json"
    )
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    assert "请填写节点名称" in str(refused.json())
    rising = client.post(
        f"{BASE}/projects/{pk}/milestones", {"name": "开业", "planned_on": "2026-05-01", "progress": 30}, format="json"
    )
    assert rising.status_code == 400 and "进度应高于上一节点" in str(rising.json())
    assert Milestone.objects.count() == 1
    assert client.post(f"{BASE}/projects/{pk}/reach", {}, format="json").status_code == 400
    reached = client.post(f"{BASE}/projects/{pk}/reach", {"day": "2026-04-02"}, format="json")
    assert reached.status_code == 200 and reached.json()["progress"] == 30
    assert client.post(f"{BASE}/projects/{pk}/reach", {"day": "2026-04-03"}, format="json").status_code == 409
    assert client.get(f"{BASE}/projects").json()["results"][0]["milestones"][0]["reached_on"] == "2026-04-02"
    assert _api().post(f"{BASE}/projects/{pk}/reach", {"day": "2026-04-02"}, format="json").status_code in (401, 403)
    assert (
        _api(people.village_a).post(f"{BASE}/projects/{pk}/reach", {"day": "2026-04-02"}, format="json").status_code
        == 403
    )
    other = _project(tree.village_b)
    outside = _api(people.street_a).post(
        f"{BASE}/projects/{other.pk}/milestones",
        {"name": "x", "planned_on": "2026-04-01", "progress": 5},
        format="json",
    )
    assert outside.status_code == 404
    assert KeyProject.objects.get(pk=pk).progress == 30 and Milestone.objects.count() == 1
