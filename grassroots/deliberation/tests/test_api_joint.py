"""The joint meeting through the API: staff invitees, removal before the
meeting, adjourn / resume / cancel with a reason, and a resolution naming
the person who handles the matter; bad input is 400 and changes nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.matters.models import Matter
from grassroots.matters.tests.staff_setup import handling, new_matter
from grassroots.testing.factories import UserFactory

from ..models import Invitation, Meeting
from ..services import weekly
from .setup import publish_rules

pytestmark = pytest.mark.django_db
BASE = "/api/v1/deliberation"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def joint(tree, street, staff_a) -> Meeting:
    publish_rules(street, tree.subdistrict)
    matter = handling(new_matter(tree.unit_a1, actor=street, title="排水沟堵塞"), street, assignee=staff_a)
    Matter.objects.filter(pk=matter.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    selection = weekly.weekly_propose(subdistrict=tree.subdistrict)
    selection = weekly.weekly_confirm(actor=street, selection=selection, villages=[tree.village_a, tree.village_b])
    return weekly.joint_meeting_convene(
        actor=street,
        selection=selection,
        village=tree.village_a,
        starts_at=timezone.now() + datetime.timedelta(hours=2),
        place="西张村委会",
    )


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def test_invitees_are_staff_and_can_be_managed_before_the_meeting(api, tree, street, staff_a, staff_b, joint):
    api.force_authenticate(street)
    data = api.get(f"{BASE}/meetings/{joint.pk}").json()
    assert {i["name"] for i in data["invitations"]} == {str(street), str(staff_a)}
    assert all(i["staff"] and i["representative"] is None for i in data["invitations"])
    assert {i["role_label"].split(" · ")[0] for i in data["invitations"]} == {"街道工作人员", "村/社区工作人员"}
    grid: Any = UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    before = Invitation.objects.count()
    problem(api.post(f"{BASE}/meetings/{joint.pk}/invite", {"staff": [staff_b.pk]}, format="json"), 400)
    problem(api.post(f"{BASE}/meetings/{joint.pk}/invite", {"staff": ["x"]}, format="json"), 400)
    problem(api.post(f"{BASE}/meetings/{joint.pk}/invite", {}, format="json"), 400)
    assert Invitation.objects.count() == before
    r = api.post(f"{BASE}/meetings/{joint.pk}/invite", {"staff": [grid.pk]}, format="json")
    assert r.status_code == 200 and len(r.json()["invitations"]) == before + 1
    added = Invitation.objects.get(staff=grid)
    r = api.post(f"{BASE}/invitations/{added.pk}/remove", {}, format="json")
    assert r.status_code == 200 and not Invitation.objects.filter(pk=added.pk).exists()
    assert r.json()["quorum"]["expected"] == before


def test_adjourn_resume_and_cancel_need_a_reason(api, street, joint):
    api.force_authenticate(street)
    assert api.post(f"{BASE}/meetings/{joint.pk}/open", {}, format="json").json()["expected_count"] == 2
    problem(api.post(f"{BASE}/meetings/{joint.pk}/adjourn", {}, format="json"), 400)
    problem(api.post(f"{BASE}/meetings/{joint.pk}/adjourn", {"reason": "  "}, format="json"), 400)
    assert Meeting.objects.get(pk=joint.pk).state == "in_session"
    r = api.post(f"{BASE}/meetings/{joint.pk}/adjourn", {"reason": "到会人数不足"}, format="json")
    assert (r.json()["state"], r.json()["state_reason"]) == ("adjourned", "到会人数不足")
    assert Matter.objects.get(title="排水沟堵塞").state == "handling"
    inv = joint.invitations.all()[0]
    problem(api.post(f"{BASE}/invitations/{inv.pk}/check-in", {"present": True}, format="json"), 409)
    assert api.post(f"{BASE}/meetings/{joint.pk}/resume", {}, format="json").json()["state"] == "in_session"
    assert Matter.objects.get(title="排水沟堵塞").state == "deliberating"
    r = api.post(f"{BASE}/meetings/{joint.pk}/cancel", {"reason": "防汛任务"}, format="json")
    assert (r.json()["state"], r.json()["state_reason"]) == ("cancelled", "防汛任务")
    assert Matter.objects.get(title="排水沟堵塞").state == "handling"
    problem(api.post(f"{BASE}/meetings/{joint.pk}/resume", {}, format="json"), 409)
