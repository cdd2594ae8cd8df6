"""Opening a project and adding its batches (the relocation office)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.core.errors import DomainError, NotFound, PermissionDenied

from ..models import Batch, Project
from ..services.projects import ProjectInput, batch_add, project_create

pytestmark = pytest.mark.django_db


def test_office_opens_a_project_and_numbers_its_batches(tree, people):
    project = project_create(
        actor=people.office, data=ProjectInput(name="花山路南延", kind="road", node=tree.subdistrict)
    )
    first = batch_add(actor=people.office, project=project, name="第一批次365户非住宅", kind="non_residential")
    second = batch_add(actor=people.office, project=project, name="第二批次427户", kind="residential")
    assert (first.number, second.number) == (1, 2) and project.path == tree.subdistrict.path


def test_rules_and_roles(tree, people, project):
    with pytest.raises(DomainError) as taken:
        project_create(actor=people.office, data=ProjectInput(name=project.name, kind="road", node=tree.subdistrict))
    assert taken.value.code == "name_taken"
    with pytest.raises(DomainError) as kind:
        batch_add(actor=people.office, project=project, name="第三批次", kind="castle")
    assert kind.value.code == "kind_invalid"
    with pytest.raises(PermissionDenied):
        batch_add(actor=people.worker_a, project=project, name="第三批次", kind="residential")
    other = Project.objects.create(name="村里的项目", kind="other", node=tree.village_b)
    with pytest.raises(NotFound):
        project_create(actor=people.worker_a, data=ProjectInput(name="越权", kind="road", node=tree.village_b))
    assert Batch.objects.filter(project=other).count() == 0 and Project.objects.count() == 2


def test_pages(client, tree, people, project):
    client.force_login(people.office)
    missing = client.post(reverse("relocation:project-new"), {"name": "", "kind": "road"})
    assert missing.status_code == 400 and "请填写项目名称" in missing.content.decode()
    done = client.post(
        reverse("relocation:project-new"), {"name": "临高高速", "kind": "road", "implementer": "高速公司"}
    )
    created = Project.objects.get(name="临高高速")
    assert done.status_code == 302 and created.node == tree.subdistrict
    client.post(reverse("relocation:batch-new", args=[created.pk]), {"name": "第一批次", "kind": "residential"})
    bad = client.post(
        reverse("relocation:batch-new", args=[created.pk]), {"name": "", "kind": "residential"}, follow=True
    )
    assert "请填写批次名称" in bad.content.decode()
    assert list(created.batches.values_list("number", "name")) == [(1, "第一批次")]
