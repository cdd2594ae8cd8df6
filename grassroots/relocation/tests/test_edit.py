"""Editing a project and a batch (ADR 0046): pages and API twins; only the
relocation office of a node that holds the project; bad input is a Chinese
message and changes nothing; every change is audited with before and after."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry

from ..models import Project
from .support import make_user, project_at

pytestmark = pytest.mark.django_db
BASE = "/api/v1/relocation"
GOOD = {
    "name": "火车站北广场(一期)",
    "kind": "station",
    "implementer": "张店区房屋征收服务中心",
    "description": "北广场及站前路以北片区。",
    "start_date": "2023-03-01",
    "target_date": "2026-12-31",
}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _updates(project):
    return AuditEntry.objects.filter(action="data.update", object_id=str(project.pk), object_type="relocation.Project")


def test_office_edits_the_project_on_its_page(client, project, people):
    client.force_login(people.office)
    url = reverse("relocation:project-edit", args=[project.pk])
    form = client.get(url).content.decode()
    assert "修改征迁项目" in form and 'value="火车站北广场"' in form
    answer = client.post(url, GOOD)
    assert answer.status_code == 302 and answer["Location"] == reverse("relocation:project", args=[project.pk])
    project.refresh_from_db()
    assert project.name == "火车站北广场(一期)" and project.start_date == datetime.date(2023, 3, 1)
    assert project.description == "北广场及站前路以北片区。"
    entry = _updates(project).get()
    assert entry.detail["changes"]["name"] == ["火车站北广场", "火车站北广场(一期)"]
    dashboard = client.get(reverse("relocation:project", args=[project.pk])).content.decode()
    assert "北广场及站前路以北片区。" in dashboard and "启动 2023-03-01" in dashboard


def test_an_unchanged_form_writes_nothing(project, people):
    body = {"name": project.name, "kind": project.kind, "implementer": project.implementer}
    body["target_date"] = project.target_date.isoformat()
    assert api(people.office).post(f"{BASE}/projects/{project.pk}/edit", body, format="json").status_code == 200
    assert not _updates(project).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "  "}, "请填写项目名称"),
        ({"kind": "castle"}, "不是有效的项目类型"),
        ({"start_date": "2027-01-01", "target_date": "2026-01-01"}, "目标完成日期不能早于启动日期"),
        ({"target_date": "2026-13-01"}, "2026-12-07"),
        ({"description": "长" * 2001}, "项目说明不能超过 2000 个字"),
        ({"name": "三条快速路"}, "已有同名的征迁项目"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(tree, project, people, change, message):
    project_at(tree.subdistrict, "三条快速路")
    answer = api(people.office).post(f"{BASE}/projects/{project.pk}/edit", {**GOOD, **change}, format="json")
    assert answer.status_code == 400 and message in answer.content.decode()
    assert Project.objects.get(pk=project.pk).name == "火车站北广场" and not _updates(project).exists()


def test_page_shows_the_error_beside_the_field(client, project, people):
    client.force_login(people.office)
    answer = client.post(
        reverse("relocation:project-edit", args=[project.pk]),
        {**GOOD, "start_date": "2027-01-01", "target_date": "2026-01-01"},
    )
    assert answer.status_code == 400 and "目标完成日期不能早于启动日期" in answer.content.decode()
    assert Project.objects.get(pk=project.pk).start_date is None


def test_roles_and_subtrees(tree, people):
    village_project = project_at(tree.village_b, "店子社区棚改")
    # Village staff see projects but do not edit them.
    assert (
        api(people.worker_b).post(f"{BASE}/projects/{village_project.pk}/edit", GOOD, format="json").status_code == 403
    )
    # An office placed in village a does not see village b's project.
    office_a = make_user("office_a", Role.SUBDISTRICT_STAFF, tree.village_a)
    assert api(office_a).post(f"{BASE}/projects/{village_project.pk}/edit", GOOD, format="json").status_code == 404
    # … and sees the subdistrict's project from below, which is not enough to change it.
    station = project_at(tree.subdistrict)
    answer = api(office_a).post(f"{BASE}/projects/{station.pk}/edit", GOOD, format="json")
    assert answer.status_code == 403 and "上级辖区" in answer.json()["detail"]
    assert APIClient().post(f"{BASE}/projects/{station.pk}/edit", GOOD, format="json").status_code in (401, 403)
    assert Project.objects.get(pk=station.pk).name == "火车站北广场"


def test_batch_targets_on_the_page_and_the_api(client, project, people):
    batch = project.batches.get(number=1)
    client.force_login(people.office)
    url = reverse("relocation:batch-edit", args=[batch.pk])
    assert "修改批次" in client.get(url).content.decode()
    body = {"name": "第一批次365户非住宅", "kind": "non_residential", "target_units": "365", "target_rate": "80"}
    answer = client.post(url, {**body, "target_date": "2026-12-31"})
    assert answer.status_code == 302
    batch.refresh_from_db()
    assert (batch.target_units, batch.target_rate) == (365, Decimal("80.00"))
    assert batch.target_date == datetime.date(2026, 12, 31)
    dashboard = client.get(reverse("relocation:project", args=[project.pk])).content.decode()
    assert "80.00%" in dashboard and "365" in dashboard
    data = api(people.office).get(f"{BASE}/batches/{batch.pk}").json()
    assert data["target_rate"] == "80.00" and data["number"] == 1
    entry = AuditEntry.objects.get(action="data.update", object_type="relocation.Batch")
    assert entry.detail["changes"]["target_units"] == [None, "365"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"target_rate": "100.5"}, "0 到 100"),
        ({"target_rate": "12.345"}, "两位小数"),
        ({"target_units": "0"}, "计划户数应在 1 到 100000 之间"),
        ({"target_units": "很多"}, "计划户数应为整数"),
        ({"name": ""}, "请填写批次名称"),
        ({"kind": "x"}, "不是有效的批次类型"),
    ],
)
def test_batch_bad_input(project, people, change, message):
    batch = project.batches.get(number=1)
    body = {"name": "第一批次", "kind": "non_residential", **change}
    answer = api(people.office).post(f"{BASE}/batches/{batch.pk}/edit", body, format="json")
    assert answer.status_code == 400 and message in answer.content.decode()
    batch.refresh_from_db()
    assert batch.target_units is None and batch.target_rate is None and batch.name == "第一批次"


def test_batch_page_bad_input_keeps_what_was_typed(client, project, people):
    batch = project.batches.get(number=2)
    client.force_login(people.office)
    answer = client.post(
        reverse("relocation:batch-edit", args=[batch.pk]),
        {"name": "第二批次", "kind": "residential", "target_rate": "101"},
    )
    html = answer.content.decode()
    assert answer.status_code == 400 and "目标签约率应为 0 到 100 之间的数字" in html and 'value="101"' in html


def test_batch_roles_and_subtrees(tree, people):
    other = project_at(tree.village_b, "店子社区棚改")
    batch = other.batches.get(number=1)
    body = {"name": "改", "kind": "residential"}
    assert api(people.worker_b).post(f"{BASE}/batches/{batch.pk}/edit", body, format="json").status_code == 403
    office_a = make_user("office_a2", Role.SUBDISTRICT_STAFF, tree.village_a)
    assert api(office_a).post(f"{BASE}/batches/{batch.pk}/edit", body, format="json").status_code == 404
    assert api(office_a).get(f"{BASE}/batches/{batch.pk}").status_code == 404
    assert other.batches.get(number=1).name == "第一批次"
