"""/api/v1/safety/hazards: the loop through the API (notice, rectification
with a photo, re-inspection, referral), problems on bad input, roles and
another subtree (404)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from grassroots.addresses.tests.support import jpeg

from ..models import Hazard
from ..states import HazardState
from .support import inspect, premises_at, raised_hazard

pytestmark = pytest.mark.django_db
BASE = "/api/v1/safety/hazards"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_loop_through_the_api(tree, people):
    inspection = inspect(premises_at(tree.grid_a1), actor=people.grid_a, fail=2)
    first, second = raised_hazard(inspection), raised_hazard(inspection, n=1)
    client = api(people.grid_a)
    listed = client.get(BASE, {"state": "found"}).json()
    assert {row["id"] for row in listed["results"]} == {first.pk, second.pk}
    bad = client.post(f"{BASE}/{first.pk}/issue-notice", {"days": 0}, format="json")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    issued = client.post(f"{BASE}/{first.pk}/issue-notice", {"days": 5}, format="json").json()
    assert issued["state"] == HazardState.NOTICE_ISSUED and issued["notice_number"]
    rectified = client.post(f"{BASE}/{first.pk}/rectify", {"evidence": jpeg(), "note": "已整改"}, format="multipart")
    assert rectified.status_code == 200 and rectified.json()["has_evidence"]
    closed = client.post(f"{BASE}/{first.pk}/reinspect", {"passed": True}, format="json").json()
    assert closed["state"] == HazardState.CLOSED
    conflict = client.post(f"{BASE}/{first.pk}/reinspect", {"passed": True}, format="json")
    assert conflict.status_code == 409
    client.post(f"{BASE}/{second.pk}/issue-notice", {"days": 5}, format="json")
    assert client.post(f"{BASE}/{second.pk}/refer", {"record": "移交"}, format="json").status_code == 403
    referred = api(people.village_a).post(f"{BASE}/{second.pk}/refer", {"record": "移交区应急管理局"}, format="json")
    assert referred.json()["state"] == HazardState.REFERRED
    assert api(people.grid_b).get(f"{BASE}/{first.pk}").status_code == 404
    assert api(people.window).get(BASE).status_code == 403
    assert Hazard.objects.get(pk=second.pk).referral_record == "移交区应急管理局"
