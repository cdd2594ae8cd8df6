"""The key-project ledger: projects with stage, milestone, blockers and
leader; plots with four parallel stages; pages and API with their refusals
(Chinese, nothing written), roles and another subtree (404)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError

from ..models import KeyProject, LandPlot
from ..services import projects
from ..services.projects import ProjectInput

pytestmark = pytest.mark.django_db
BASE = "/api/v1/economy"


def _project(node, name="五金机电城", level="district"):
    return projects.project_save(
        actor=SYSTEM,
        node=node,
        data=ProjectInput(name=name, level=level, stage="building", next_milestone="主体封顶", leader="王区长"),
    )


def test_project_and_parallel_plot_stages(tree, people):
    project = _project(tree.subdistrict)
    plot = projects.plot_create(
        actor=people.street, village=tree.village_a, name="西张北地块", area_mu=Decimal("120.5"), project=project
    )
    projects.plot_stage_set(actor=people.street, plot=plot, stage="signed", day=datetime.date(2026, 5, 1))
    projects.plot_stage_set(actor=people.street, plot=plot, stage="compensated", day=datetime.date(2026, 6, 1))
    plot.refresh_from_db()
    assert plot.stages_done == 2 and plot.vacated_on is None
    with pytest.raises(DomainError) as exc:
        projects.plot_create(actor=people.street, village=tree.village_a, name="x", area_mu=Decimal("0"))
    assert exc.value.code == "area_invalid"
    with pytest.raises(DomainError) as exc:
        _project(tree.subdistrict)
    assert exc.value.code == "name_taken"
    with pytest.raises(DomainError) as exc:
        projects.plot_stage_set(actor=people.village_a, plot=plot, stage="signed", day=None)
    assert exc.value.status == 403
    assert LandPlot.objects.count() == 1


def test_project_pages(client, tree, people, django_assert_max_num_queries):
    _project(tree.subdistrict)
    _project(tree.subdistrict, name="民祥科技工业园", level="city")
    client.force_login(people.street)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("economy:projects")).content.decode()
    assert page.count('data-testid="project-row"') == 2 and "市重大项目 1 个" in page
    assert (
        client.get(reverse("economy:projects"), {"level": "city"}).content.decode().count('data-testid="project-row"')
        == 1
    )
    bad = client.post(reverse("economy:project-new"), {"name": "", "level": "district", "stage": "x"})
    assert bad.status_code == 400 and "请填写项目名称" in bad.content.decode()
    done = client.post(
        reverse("economy:project-new"),
        {"name": "海易胶固", "level": "district", "stage": "preparing", "blockers": "土地指标待落实"},
    )
    project = KeyProject.objects.get(name="海易胶固")
    assert done["Location"] == reverse("economy:project", args=[project.pk])
    url = reverse("economy:plot-new", args=[project.pk])
    refused = client.post(url, {"village": tree.village_a.pk, "name": "一号", "area_mu": "-3"})
    assert refused.status_code == 400 and "面积应大于零" in refused.content.decode()
    client.post(url, {"village": tree.village_a.pk, "name": "一号", "area_mu": "35.5"})
    plot = LandPlot.objects.get()
    client.post(reverse("economy:plot-stage", args=[plot.pk]), {"stage": "vacated", "day": "2026-11-30"})
    detail = client.get(reverse("economy:project", args=[project.pk])).content.decode()
    assert "✓ 11-30" in detail and "土地指标待落实" in detail
    edit = client.post(
        reverse("economy:project-edit", args=[project.pk]),
        {"name": "海易胶固", "level": "district", "stage": "building"},
    )
    assert edit.status_code == 302
    project.refresh_from_db()
    assert project.stage == "building"


def test_project_api(tree, people):
    client = APIClient()
    client.force_authenticate(people.street)
    created = client.post(
        f"{BASE}/projects", {"name": "五金机电城", "level": "city", "stage": "building"}, format="json"
    )
    assert created.status_code == 201, created.content
    bad = client.post(f"{BASE}/projects", {"name": "x", "level": "province", "stage": "building"}, format="json")
    assert bad.status_code == 400 and "项目级别" in str(bad.json())
    plot = client.post(
        f"{BASE}/plots",
        {"project": created.json()["id"], "village": tree.village_a.pk, "name": "一号", "area_mu": "10.00"},
        format="json",
    )
    assert plot.status_code == 201, plot.content
    staged = client.post(
        f"{BASE}/plots/{plot.json()['id']}/stage", {"stage": "signed", "day": "2026-12-01"}, format="json"
    )
    assert staged.json()["stages_done"] == 1
    assert client.post(f"{BASE}/plots/{plot.json()['id']}/stage", {"stage": "x"}, format="json").status_code == 400
    other = APIClient()
    other.force_authenticate(people.village_b)
    assert other.get(f"{BASE}/plots/{plot.json()['id']}").status_code == 404
    assert (
        other.post(f"{BASE}/projects", {"name": "y", "level": "city", "stage": "building"}, format="json").status_code
        == 403
    )
    assert KeyProject.objects.count() == 1
