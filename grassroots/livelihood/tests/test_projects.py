"""民生实事 projects: registering with milestones, reaching them in order
(each publishes the progress through 晒事), photos checked by content, the
pages and the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.addresses.tests.support import jpeg
from grassroots.core.errors import DomainError, NotFound, PermissionDenied
from grassroots.publicity.models import Publication

from ..models import Milestone, Project, ProjectPhoto
from ..services import projects as services
from .support import project_at

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_reaching_milestones_in_order_publishes_progress(tree, people):
    project = project_at(tree.village_a, actor=people.village_a)
    first, second, _third = project.milestones.order_by("position")
    with pytest.raises(DomainError, match="先完成前面"):
        services.milestone_reach(actor=people.village_a, milestone=second)
    services.milestone_reach(actor=people.village_a, milestone=first, note="区发改委已批复")
    project.refresh_from_db()
    assert project.progress == 10
    publication = Publication.objects.get(project=project)
    assert publication.kind == "project" and publication.state == "published" and publication.node == tree.village_a
    assert "完成“立项审批”,项目进度 10%" in publication.content and "区发改委已批复" in publication.content
    with pytest.raises(DomainError) as again:
        services.milestone_reach(actor=people.village_a, milestone=first)
    assert again.value.status == 409
    with pytest.raises(NotFound):
        services.milestone_reach(actor=people.village_b, milestone=second)
    with pytest.raises(PermissionDenied):
        services.milestone_reach(actor=people.window, milestone=second)
    assert Publication.objects.count() == 1 and Milestone.objects.filter(reached_on__isnull=False).count() == 1


def test_project_rules_write_nothing(tree, people):
    good: dict[str, Any] = {
        "title": "村道硬化",
        "node": tree.village_a,
        "budget": Decimal("800000"),
        "funding_source": "区财政",
        "milestones": [services.MilestoneInput("开工", 50), services.MilestoneInput("完工", 100)],
    }
    cases: list[tuple[dict[str, Any], str]] = [
        ({"budget": Decimal("0")}, "预算"),
        ({"budget": Decimal("1.234")}, "预算"),
        ({"title": " "}, "项目名称"),
        ({"funding_source": ""}, "资金来源"),
        ({"node": tree.grid_a1}, "实施范围"),
        ({"milestones": []}, "至少"),
        ({"milestones": [services.MilestoneInput("开工", 60), services.MilestoneInput("完工", 50)]}, "第 2 个节点"),
    ]
    for change, message in cases:
        with pytest.raises(DomainError, match=message):
            services.project_create(actor=people.village_a, data=services.ProjectInput(**{**good, **change}))
    with pytest.raises(NotFound):
        services.project_create(actor=people.village_b, data=services.ProjectInput(**good))
    assert Project.objects.count() == 0


def test_photos_are_checked(tree, people):
    project = project_at(tree.village_a, actor=people.village_a)
    services.project_photo_add(actor=people.village_a, project=project, photo=jpeg(), caption="开工现场")
    fake = SimpleUploadedFile("a.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(DomainError, match="不是照片"):
        services.project_photo_add(actor=people.village_a, project=project, photo=fake)
    assert ProjectPhoto.objects.count() == 1


def test_pages(client, tree, people, django_assert_max_num_queries):
    for n in range(8):
        project_at(tree.village_a, actor=people.village_a, title=f"村道硬化{n}")
    client.force_login(people.village_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("livelihood:projects")).content.decode()
    assert page.count('data-testid="project-row"') == 8
    form = {"title": "党群服务中心", "node": tree.village_a.pk, "budget": "300000", "funding_source": "街道财政"}
    bad = client.post(reverse("livelihood:project-new"), {**form, "milestones": "开工"})
    assert bad.status_code == 400 and "第 1 行应为" in bad.content.decode() and "党群服务中心" in bad.content.decode()
    done = client.post(reverse("livelihood:project-new"), {**form, "milestones": "开工 40\n竣工 100%"})
    project = Project.objects.get(title="党群服务中心")
    assert done.status_code == 302 and [m.percent for m in project.milestones.all()] == [40, 100]
    first = project.milestones.get(position=1)
    assert client.post(reverse("livelihood:milestone-reach", args=[first.pk]), {"note": ""}).status_code == 302
    again = client.post(reverse("livelihood:milestone-reach", args=[first.pk]), {"note": ""})
    assert again.status_code == 400 and "已经完成" in again.content.decode()
    upload = client.post(reverse("livelihood:project-photo-add", args=[project.pk]), {"photo": jpeg()})
    assert upload.status_code == 302
    photo = ProjectPhoto.objects.get()
    response = client.get(reverse("livelihood:project-photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(people.village_b)
    assert client.get(reverse("livelihood:project", args=[project.pk])).status_code == 404


def test_api(tree, people):
    body = {
        "title": "龙湾便民市场",
        "node": tree.village_a.pk,
        "budget": "5000000.00",
        "funding_source": "街道财政",
        "milestones": [{"title": "立项", "percent": 20}, {"title": "竣工", "percent": 100}],
    }
    created = api(people.village_a).post("/api/v1/livelihood/projects", body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["budget"] == "5000000.00" and len(data["milestones"]) == 2
    bad = api(people.village_a).post("/api/v1/livelihood/projects", {**body, "budget": "abc"}, format="json")
    assert bad.status_code == 400 and "预算" in str(bad.json())
    assert api(people.grid_a).post("/api/v1/livelihood/projects", body, format="json").status_code == 403
    assert api(people.village_b).post("/api/v1/livelihood/projects", body, format="json").status_code == 404
    milestone = data["milestones"][0]["id"]
    reached = api(people.village_a).post(f"/api/v1/livelihood/milestones/{milestone}/reach", {}, format="json")
    assert reached.status_code == 200 and reached.json()["reached_on"]
    assert api(people.village_b).post(f"/api/v1/livelihood/milestones/{milestone}/reach", {}).status_code == 404
    photo = api(people.village_a).post(
        f"/api/v1/livelihood/projects/{data['id']}/photos", {"photo": jpeg()}, format="multipart"
    )
    assert photo.status_code == 201 and len(photo.json()["photos"]) == 1
    assert Project.objects.count() == 1 and Publication.objects.filter(kind="project").count() == 1
