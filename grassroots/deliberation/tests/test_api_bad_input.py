"""Regressions (issue 11 items 13 and 14): a 20-digit id in an invite list
and non-numeric rule ids were 500s; meetings convened in 1900 or on a past
day were accepted. The convening rule is the service's, so pages agree."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ..models import Invitation, Meeting
from ..services import meetings
from .setup import convene, make_representatives, publish_rules

pytestmark = pytest.mark.django_db
BASE = "/api/v1/deliberation"


@pytest.fixture
def api(staff_a):
    client = APIClient()
    client.force_authenticate(staff_a)
    return client


@pytest.fixture
def meeting(tree, staff_a):
    publish_rules(staff_a, tree.village_a)
    return convene(staff_a, tree.village_a)


@pytest.mark.parametrize("field", ["representatives", "staff"])
def test_a_twenty_digit_id_in_an_invite_list_is_a_400(api, meeting, field):
    response = api.post(f"{BASE}/meetings/{meeting.pk}/invite", {field: [10**20]}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Invitation.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize("pk", ["abc", "9" * 20])
@pytest.mark.parametrize(("method", "suffix"), [("get", ""), ("post", "/publish")])
def test_a_rule_id_that_is_not_a_bigint_is_404(api, pk, method, suffix):
    response = getattr(api, method)(f"{BASE}/rules/{pk}{suffix}")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        (datetime.datetime(1900, 1, 1, 9, tzinfo=datetime.UTC), "会议时间不能早于今天。"),
        (timezone.now() - datetime.timedelta(days=2), "会议时间不能早于今天。"),
        (timezone.now() + datetime.timedelta(days=400), "会议时间不能晚于一年以后。"),
    ],
)
def test_a_meeting_convened_in_the_past_or_far_ahead_is_refused(api, tree, staff_a, starts_at, message):
    publish_rules(staff_a, tree.village_a)
    make_representatives(tree.village_a, tree.unit_a1, 3)
    body = {
        "node": tree.village_a.pk,
        "kind": "consultation",
        "title": "议事会",
        "starts_at": starts_at.isoformat(),
        "place": "会议室",
    }
    response = api.post(f"{BASE}/meetings", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"starts_at": [message]}
    assert not Meeting.objects.exists()
    # The page calls the same service: the same rule, the same message.
    with pytest.raises(Exception, match=message):
        meetings.meeting_convene(
            actor=staff_a,
            node=tree.village_a,
            data=meetings.MeetingInput(kind="consultation", title="议事会", starts_at=starts_at, place="会议室"),
        )


def test_a_meeting_later_today_is_fine(api, tree, staff_a):
    publish_rules(staff_a, tree.village_a)
    meeting = convene(staff_a, tree.village_a, starts_at=timezone.now() + datetime.timedelta(minutes=5))
    assert meeting.pk
