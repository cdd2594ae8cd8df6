"""Reassigning units to another worker (ADR 0046): a ticked selection, or all
of one worker's units in a batch; the new worker sees them at once; every
unit gets an event and the move one audit row; wrong input (no reason, a
worker who cannot take them, units of another project) changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry

from ..models import Unit, UnitEvent
from .support import make_user, project_at, unit_at

pytestmark = pytest.mark.django_db
BASE = "/api/v1/relocation"


@pytest.fixture
def spread(tree, project, people, rel_worker):
    """Three units of worker_a in batch 1, one in batch 2, one of village b."""
    units = [unit_at(project, tree.village_a, f"R-{n}", worker=people.worker_a) for n in range(3)]
    units.append(unit_at(project, tree.village_a, "R-9", worker=people.worker_a, batch=2))
    units.append(unit_at(project, tree.village_b, "B-1", worker=people.worker_b))
    return units


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_selected_units_move_and_the_new_worker_sees_them(client, project, people, rel_worker, spread):
    client.force_login(people.office)
    url = reverse("relocation:reassign", args=[project.pk])
    page = client.get(url, {"from_worker": people.worker_a.pk})
    html = page.content.decode()
    assert page.status_code == 200 and "共 4 户" in html and "rel_only_a" in html
    answer = client.post(
        url,
        {
            "units": [spread[0].pk, spread[1].pk],
            "to_worker": rel_worker.pk,
            "reason": "原包户人员调岗",
            "scope": "selected",
        },
    )
    assert answer.status_code == 302
    assert set(Unit.objects.filter(worker=rel_worker).values_list("number", flat=True)) == {"R-0", "R-1"}
    events = UnitEvent.objects.filter(action="reassign")
    assert events.count() == 2 and {e.data["to"] for e in events} == {rel_worker.pk}
    assert set(events.values_list("text", flat=True)) == {"原包户人员调岗"}
    entry = AuditEntry.objects.get(action="data.update", object_type="relocation.Project")
    assert entry.detail["reassign"] == 2 and entry.detail["units"] == sorted([spread[0].pk, spread[1].pk])
    client.force_login(rel_worker)
    mine = client.get(reverse("relocation:mine")).content.decode()
    assert "R-0" in mine and "R-1" in mine and "R-2" not in mine


def test_all_of_a_workers_units_in_a_batch(project, people, rel_worker, spread):
    batch = project.batches.get(number=1)
    body = {"from_worker": people.worker_a.pk, "batch": batch.pk, "to_worker": rel_worker.pk, "reason": "片区调整"}
    answer = api(people.office).post(f"{BASE}/projects/{project.pk}/reassign", body, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"moved": 3, "to_worker": rel_worker.pk}
    assert Unit.objects.get(number="R-9").worker == people.worker_a  # batch 2 stays
    mine = api(rel_worker).get(f"{BASE}/units", {"mine": "true"}).json()
    assert sorted(row["number"] for row in mine["results"]) == ["R-0", "R-1", "R-2"]


def test_the_whole_batch_button_on_the_page(client, project, people, rel_worker, spread):
    batch = project.batches.get(number=1)
    client.force_login(people.office)
    url = reverse("relocation:reassign", args=[project.pk])
    page = client.get(url, {"batch": batch.pk, "from_worker": people.worker_a.pk}).content.decode()
    assert "改派该人员在本批次的全部 3 户" in page
    body = {"batch": batch.pk, "from_worker": people.worker_a.pk, "to_worker": rel_worker.pk, "reason": "片区调整"}
    assert client.post(url, {**body, "scope": "all"}).status_code == 302
    assert Unit.objects.filter(worker=rel_worker).count() == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reason": "  "}, "请填写调整原因"),
        ({"reason": "调"}, "至少 4 个字"),
        ({"to_worker": None}, "请选择接手的征迁工作人员"),
        ({"units": []}, "请勾选要调整的征迁户"),
        ({"units": ["x"]}, "编号应为正整数"),
        ({"units": [99999999]}, "不属于该项目"),
    ],
)
def test_bad_input_changes_nothing(project, people, rel_worker, spread, change, message):
    body = {"units": [spread[0].pk], "to_worker": rel_worker.pk, "reason": "原包户人员调岗", **change}
    if body["to_worker"] is None:
        del body["to_worker"]
    answer = api(people.office).post(f"{BASE}/projects/{project.pk}/reassign", body, format="json")
    assert answer.status_code == 400 and message in answer.content.decode()
    assert not Unit.objects.filter(worker=rel_worker).exists() and not UnitEvent.objects.exists()


def test_a_worker_who_cannot_take_the_units(tree, project, people, spread):
    # Village b's staff may work the project but not village a's units.
    body = {"units": [spread[0].pk], "to_worker": people.worker_b.pk, "reason": "原包户人员调岗"}
    answer = api(people.office).post(f"{BASE}/projects/{project.pk}/reassign", body, format="json")
    assert answer.status_code == 400 and "R-0" in answer.json()["detail"]
    # A grid worker is no relocation worker.
    body["to_worker"] = people.grid_a.pk
    assert api(people.office).post(f"{BASE}/projects/{project.pk}/reassign", body, format="json").status_code == 400
    # Units of another project are not this project's.
    other = project_at(tree.subdistrict, "临高高速")
    body = {"units": [spread[0].pk], "to_worker": people.worker_a.pk, "reason": "原包户人员调岗"}
    assert api(people.office).post(f"{BASE}/projects/{other.pk}/reassign", body, format="json").status_code == 400
    assert Unit.objects.get(pk=spread[0].pk).worker == people.worker_a


def test_page_form_errors_are_shown(client, project, people, spread):
    client.force_login(people.office)
    url = reverse("relocation:reassign", args=[project.pk])
    answer = client.post(url, {"units": [spread[0].pk], "to_worker": "", "reason": ""})
    html = answer.content.decode()
    assert answer.status_code == 400 and "请选择接手的征迁工作人员" in html and "请写明调整原因" in html


def test_roles_and_subtrees(tree, project, people, rel_worker, spread):
    body = {"units": [spread[0].pk], "to_worker": rel_worker.pk, "reason": "原包户人员调岗"}
    for refused in (people.worker_a, rel_worker, people.grid_a):
        assert api(refused).post(f"{BASE}/projects/{project.pk}/reassign", body, format="json").status_code == 403
    village_b_project = project_at(tree.village_b, "店子社区棚改")
    office_a = make_user("office_ra", Role.SUBDISTRICT_STAFF, tree.village_a)
    url = f"{BASE}/projects/{village_b_project.pk}/reassign"
    assert api(office_a).post(url, body, format="json").status_code == 404
    assert not Unit.objects.filter(worker=rel_worker).exists()


def test_page_query_count(client, project, people, spread, django_assert_max_num_queries):
    for n in range(20):
        unit_at(project, spread[0].village, f"Q-{n}", worker=people.worker_a)
    client.force_login(people.office)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("relocation:reassign", args=[project.pk]), {"from_worker": people.worker_a.pk})
    assert page.content.decode().count('data-testid="unit-row"') == 24
