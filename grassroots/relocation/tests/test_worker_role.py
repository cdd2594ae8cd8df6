"""The 征迁工作人员 role (ADR 0046): sees the projects of their subtree,
takes the units assigned to them through the stages (amounts, notes, the
handover to mediation) and nothing more: another worker's unit is refused
(403, nothing written), a unit elsewhere is 404, projects, batches and
assignments are not theirs to change. Their nav, home panel and phone page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from grassroots.accounts.roles import Capability, Role, role_has
from grassroots.core.errors import PermissionDenied

from ..models import Unit, UnitEvent
from ..services.units import StageInput, unit_advance
from ..states import State
from .support import PHONE, advance_to, unit_at

pytestmark = pytest.mark.django_db


def test_the_role_holds_only_what_the_brief_gives_it():
    role = Role.RELOCATION_WORKER
    assert role_has(role, Capability.VIEW_RELOCATION) and role_has(role, Capability.WORK_ASSIGNED_RELOCATION)
    for capability in (Capability.WORK_RELOCATION, Capability.MANAGE_RELOCATION, Capability.VIEW_RESIDENTS):
        assert not role_has(role, capability)


def test_moves_their_own_unit_through_the_stages(project, tree, rel_worker):
    unit = unit_at(project, tree.village_a, "W-1", worker=rel_worker)
    unit = unit_advance(actor=rel_worker, unit=unit, action="confirm", data=StageInput(note="已入户核对"))
    unit = unit_advance(actor=rel_worker, unit=unit, action="assess", data=StageInput(amount="500000"))
    unit = unit_advance(actor=rel_worker, unit=unit, action="sign", data=StageInput(amount="520000.50"))
    unit.refresh_from_db()
    assert unit.state == State.SIGNED and str(unit.agreed_amount) == "520000.50"
    assert list(unit.events.values_list("actor", flat=True)) == [rel_worker.pk] * 3


def test_another_workers_unit_is_refused_and_unchanged(project, tree, rel_worker, people):
    unit = unit_at(project, tree.village_a, "W-2", worker=people.worker_a)
    with pytest.raises(PermissionDenied, match="只能办理分配给本人"):
        unit_advance(actor=rel_worker, unit=unit, action="confirm", data=StageInput())
    client = APIClient()
    client.force_authenticate(rel_worker)
    answer = client.post(f"/api/v1/relocation/units/{unit.pk}/confirm", {}, format="json")
    assert answer.status_code == 403 and "分配给本人" in answer.json()["detail"]
    page = APIClient()
    page.force_login(rel_worker)
    assert page.post(reverse("relocation:unit-confirm", args=[unit.pk])).status_code == 403
    assert Unit.objects.get(pk=unit.pk).state == State.PENDING and not UnitEvent.objects.filter(unit=unit).exists()


def test_a_unit_in_another_village_is_not_found(project, tree, rel_worker):
    unit = unit_at(project, tree.village_b, "W-3", worker=rel_worker)  # assigned, but outside the subtree
    client = APIClient()
    client.force_authenticate(rel_worker)
    assert client.post(f"/api/v1/relocation/units/{unit.pk}/confirm", {}, format="json").status_code == 404
    assert Unit.objects.get(pk=unit.pk).state == State.PENDING


def test_hands_their_units_dispute_to_mediation(project, tree, rel_worker):
    unit = advance_to(unit_at(project, tree.village_a, "W-4", worker=rel_worker), State.ASSESSED)
    client = APIClient()
    client.force_authenticate(rel_worker)
    answer = client.post(
        f"/api/v1/relocation/units/{unit.pk}/handover", {"reason": "户主对评估面积有异议,已两次入户沟通"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["dispute_number"]


def test_cannot_edit_projects_batches_or_reassign(project, tree, rel_worker):
    client = APIClient()
    client.force_login(rel_worker)
    batch = project.batches.first()
    assert client.get(reverse("relocation:project-edit", args=[project.pk])).status_code == 403
    assert client.get(reverse("relocation:batch-edit", args=[batch.pk])).status_code == 403
    assert client.get(reverse("relocation:reassign", args=[project.pk])).status_code == 403
    body = {"name": "改名", "kind": "road"}
    assert client.post(f"/api/v1/relocation/projects/{project.pk}/edit", body, format="json").status_code == 403
    project.refresh_from_db()
    assert project.name == "火车站北广场"


def test_nav_home_panel_and_phone_page(client, project, tree, rel_worker, django_assert_max_num_queries):
    mine = unit_at(project, tree.village_a, "W-5", worker=rel_worker)
    advance_to(unit_at(project, tree.village_a, "W-6", worker=rel_worker), State.SIGNED)
    client.force_login(rel_worker)
    home = client.get(reverse("accounts:home")).content.decode()
    assert "我的包户" in home and 'data-testid="relocation-panel"' in home
    assert 'data-testid="panel-open">2<' in home and 'data-testid="panel-signed">1<' in home
    assert reverse("relocation:mine") in home and "事项" not in home.split("</nav>")[0]
    with django_assert_max_num_queries(10):
        page = client.get(reverse("relocation:mine"))
    html = page.content.decode()
    assert page.status_code == 200 and "W-5" in html and "W-6" in html and PHONE not in html
    assert f'id="unit-{mine.pk}"' in html
    detail = client.get(reverse("relocation:unit", args=[mine.pk])).content.decode()
    assert 'data-testid="advance-confirm"' in detail or "信息确认" in detail


def test_reveals_only_their_own_units_head(client, project, tree, rel_worker, people):
    own = unit_at(project, tree.village_a, "W-7", worker=rel_worker)
    other = unit_at(project, tree.village_a, "W-8", worker=people.worker_a)
    client.force_login(rel_worker)
    shown = client.post(reverse("relocation:unit-reveal", args=[own.pk]), {"reason": "电话预约入户"})
    assert shown.status_code == 200 and PHONE in shown.content.decode()
    refused = client.post(reverse("relocation:unit-reveal", args=[other.pk]), {"reason": "电话预约入户"})
    assert PHONE not in refused.content.decode()


def test_village_staff_still_move_any_unit_of_their_village(project, tree, people, rel_worker):
    unit = unit_at(project, tree.village_a, "W-9", worker=rel_worker)
    moved = unit_advance(actor=people.worker_a, unit=unit, action="confirm", data=StageInput())
    assert moved.state == State.CONFIRMED
