"""The deliberation API: per endpoint success, bad input (400, nothing
changed), anonymous 401, wrong role 403, other subtree 404, forbidden
transition or missing quorum 409; query counts on lists."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.matters.models import Matter
from grassroots.matters.services.units import responsible_unit_default
from grassroots.matters.tests.staff_setup import handling, new_matter
from grassroots.testing.factories import UserFactory

from ..models import Invitation, Meeting, Resolution, RuleSet, TallyCorrection, TopicProposal, WeeklySelection
from ..services import agenda, meetings, weekly
from .setup import convene, make_representatives, publish_rules

pytestmark = pytest.mark.django_db
BASE = "/api/v1/deliberation"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def reps(tree):
    return make_representatives(tree.village_a, tree.unit_a1, 6)


@pytest.fixture
def meeting(tree, staff_a, reps):
    publish_rules(staff_a, tree.village_a)
    m = convene(staff_a, tree.village_a)
    meetings.meeting_invite(actor=staff_a, meeting=m, representatives=reps)
    return m


def problem(response, status):
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def _in_session(meeting, staff, present=4):
    meeting = meetings.meeting_open(actor=staff, meeting=meeting)
    for inv in list(meeting.invitations.order_by("pk"))[:present]:
        meetings.attendance_set(actor=staff, invitation=inv, present=True)
    return meeting


# --- matrix for every POST endpoint -----------------------------------------


def _endpoints(meeting):
    item = agenda.agenda_add_topic(actor=meeting.convened_by, meeting=meeting, title="修路")
    inv = meeting.invitations.first()
    return [
        (f"{BASE}/meetings/{meeting.pk}/open", {}),
        (f"{BASE}/meetings/{meeting.pk}/cancel", {"reason": "改期"}),
        (f"{BASE}/meetings/{meeting.pk}/adjourn", {"reason": "午休"}),
        (f"{BASE}/meetings/{meeting.pk}/resume", {}),
        (f"{BASE}/meetings/{meeting.pk}/close", {"minutes": "纪要"}),
        (f"{BASE}/meetings/{meeting.pk}/agenda", {"title": "路灯"}),
        (f"{BASE}/meetings/{meeting.pk}/invite", {"representatives": [inv.representative_id]}),
        (f"{BASE}/invitations/{inv.pk}/check-in", {"present": True}),
        (f"{BASE}/invitations/{inv.pk}/remove", {}),
        (f"{BASE}/items/{item.pk}/resolution", {"decision": "同意", "votes_for": 3}),
        (f"{BASE}/rules/{meeting.rules_id}/publish", {}),
    ]


def test_anonymous_gets_401_everywhere(api, meeting):
    for url, body in _endpoints(meeting):
        problem(api.post(url, body, format="json"), 401)
    problem(api.get(f"{BASE}/meetings"), 401)
    assert Meeting.objects.get(pk=meeting.pk).state == "scheduled"
    assert meeting.invitations.count() == 6


def test_wrong_role_gets_403_everywhere(api, meeting, grid_worker):
    api.force_authenticate(grid_worker)
    for url, body in _endpoints(meeting):
        problem(api.post(url, body, format="json"), 403)
    problem(api.get(f"{BASE}/meetings"), 403)
    assert Meeting.objects.get(pk=meeting.pk).state == "scheduled"
    assert meeting.invitations.count() == 6
    assert meeting.agenda.count() == 1


def test_other_subtree_gets_404_everywhere(api, meeting, staff_b):
    api.force_authenticate(staff_b)
    for url, body in _endpoints(meeting):
        problem(api.post(url, body, format="json"), 404)
    problem(api.get(f"{BASE}/meetings/{meeting.pk}"), 404)
    assert api.get(f"{BASE}/meetings").json()["results"] == []
    assert Meeting.objects.get(pk=meeting.pk).state == "scheduled"
    assert meeting.invitations.count() == 6


# --- success, bad input, 409 --------------------------------------------------


def test_rules_create_list_and_bad_quorum(api, tree, staff_a, staff_b):
    api.force_authenticate(staff_a)
    body = {
        "node": tree.village_a.pk,
        "title": "西张村议事规则",
        "proposers": "residents",
        "quorum_numerator": 2,
        "quorum_denominator": 3,
        "threshold": "two_thirds_present",
        "vote_method": "roll_call",
        "effective_from": "2026-01-01",
        "publish": True,
    }
    r = api.post(f"{BASE}/rules", body, format="json")
    assert r.status_code == 201 and r.json()["version"] == 1
    problem(api.post(f"{BASE}/rules", {**body, "quorum_numerator": 4}, format="json"), 400)
    problem(api.post(f"{BASE}/rules", {**body, "threshold": "most"}, format="json"), 400)
    problem(api.post(f"{BASE}/rules", {**body, "node": tree.village_b.pk}, format="json"), 404)
    assert RuleSet.objects.count() == 1
    problem(api.post(f"{BASE}/rules/{r.json()['id']}/publish", {}, format="json"), 400)
    assert [x["id"] for x in api.get(f"{BASE}/rules").json()["results"]] == [r.json()["id"]]


def test_convene_success_and_bad_input(api, tree, staff_a, reps):
    publish_rules(staff_a, tree.village_a)
    api.force_authenticate(staff_a)
    body = {
        "node": tree.village_a.pk,
        "kind": "consultation",
        "title": "议事会",
        "starts_at": (timezone.now() + datetime.timedelta(days=1)).isoformat(),
        "place": "会议室",
    }
    problem(api.post(f"{BASE}/meetings", {**body, "kind": "joint"}, format="json"), 400)
    problem(api.post(f"{BASE}/meetings", {**body, "place": ""}, format="json"), 400)
    assert not Meeting.objects.exists()
    r = api.post(f"{BASE}/meetings", body, format="json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert len(data["invitations"]) == 6 and data["state"] == "scheduled"
    assert data["quorum"] == {"expected": 6, "present": 0, "needed": 4, "met": False}


def test_full_flow_through_api(api, tree, staff_a, meeting):
    matter = handling(new_matter(tree.unit_a1, actor=staff_a), staff_a)
    api.force_authenticate(staff_a)
    r = api.post(f"{BASE}/meetings/{meeting.pk}/agenda", {"matter": matter.pk}, format="json")
    assert r.status_code == 200 and Matter.objects.get(pk=matter.pk).state == "deliberating"
    problem(api.post(f"{BASE}/meetings/{meeting.pk}/agenda", {}, format="json"), 400)
    item_id = r.json()["agenda"][0]["id"]
    # Not in session yet: 409.
    problem(api.post(f"{BASE}/items/{item_id}/resolution", {"decision": "同意", "votes_for": 3}, format="json"), 409)
    assert api.post(f"{BASE}/meetings/{meeting.pk}/open", {}, format="json").status_code == 200
    problem(api.post(f"{BASE}/meetings/{meeting.pk}/open", {}, format="json"), 409)
    invs = list(meeting.invitations.order_by("pk"))
    for inv in invs[:3]:
        assert api.post(f"{BASE}/invitations/{inv.pk}/check-in", {"present": True}, format="json").status_code == 200
    # 3 of 6 present: one short of two-thirds → 409, nothing recorded.
    body = {"decision": "清理", "votes_for": 3}
    problem(api.post(f"{BASE}/items/{item_id}/resolution", body, format="json"), 409)
    assert not Resolution.objects.exists()
    r = api.post(f"{BASE}/invitations/{invs[3].pk}/check-in", {"present": True}, format="json")
    assert r.json()["quorum"]["met"] is True
    assert matter.category is not None
    unit = responsible_unit_default(matter=matter, category=matter.category)
    due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    problem(api.post(f"{BASE}/items/{item_id}/resolution", {**body, "votes_against": 2}, format="json"), 400)
    settled = {**body, "responsible_unit": unit.pk, "due_date": due}
    # The person must work where the matter is (another village's staff: 400), and exist.
    other: Any = UserFactory(role=Role.VILLAGE_STAFF, jurisdiction=tree.village_b)
    problem(api.post(f"{BASE}/items/{item_id}/resolution", {**settled, "assignee": other.pk}, format="json"), 400)
    problem(api.post(f"{BASE}/items/{item_id}/resolution", {**settled, "assignee": 999999}, format="json"), 400)
    assert not Resolution.objects.exists()
    r = api.post(f"{BASE}/items/{item_id}/resolution", {**settled, "assignee": staff_a.pk}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["passed"] is True and r.json()["assignee"] == staff_a.pk
    assert r.json()["assignee_name"] == str(staff_a)
    fresh = Matter.objects.get(pk=matter.pk)
    assert (fresh.state, fresh.assignee_id) == ("handling", staff_a.pk)
    res_id = r.json()["id"]
    problem(
        api.post(
            f"{BASE}/resolutions/{res_id}/correct",
            {"votes_for": 3, "votes_against": 1, "votes_abstain": 0},
            format="json",
        ),
        400,
    )
    r = api.post(
        f"{BASE}/resolutions/{res_id}/correct",
        {"votes_for": 3, "votes_against": 0, "votes_abstain": 1, "reason": "漏记弃权"},
        format="json",
    )
    assert r.status_code == 200 and len(r.json()["corrections"]) == 1
    problem(api.post(f"{BASE}/meetings/{meeting.pk}/close", {"minutes": ""}, format="json"), 400)
    r = api.post(f"{BASE}/meetings/{meeting.pk}/close", {"minutes": "议定一项"}, format="json")
    assert r.json()["state"] == "closed"
    problem(
        api.post(
            f"{BASE}/resolutions/{res_id}/correct",
            {"votes_for": 4, "votes_against": 0, "votes_abstain": 0, "reason": "x"},
            format="json",
        ),
        409,
    )
    assert TallyCorrection.objects.count() == 1
    problem(api.post(f"{BASE}/meetings/{meeting.pk}/cancel", {"reason": "重复"}, format="json"), 409)


def test_invite_unknown_representative_is_400(api, staff_a, meeting):
    api.force_authenticate(staff_a)
    before = Invitation.objects.count()
    problem(api.post(f"{BASE}/meetings/{meeting.pk}/invite", {"representatives": [999999]}, format="json"), 400)
    problem(api.post(f"{BASE}/meetings/{meeting.pk}/invite", {"representatives": []}, format="json"), 400)
    assert Invitation.objects.count() == before


def test_proposals_moderate(api, tree, staff_a, staff_b, grid_worker):
    publish_rules(staff_a, tree.village_a)
    p = agenda.proposal_submit(village=tree.village_a, title="路灯", description="村东路灯不亮", proposer_name="王五")
    api.force_authenticate(staff_b)
    problem(api.post(f"{BASE}/proposals/{p.pk}/moderate", {"accept": True}, format="json"), 404)
    api.force_authenticate(grid_worker)
    problem(api.post(f"{BASE}/proposals/{p.pk}/moderate", {"accept": True}, format="json"), 403)
    api.force_authenticate(staff_a)
    problem(api.post(f"{BASE}/proposals/{p.pk}/moderate", {"accept": False}, format="json"), 400)
    assert TopicProposal.objects.get(pk=p.pk).status == "pending"
    r = api.post(f"{BASE}/proposals/{p.pk}/moderate", {"accept": True}, format="json")
    assert r.json()["status"] == "accepted"
    problem(api.post(f"{BASE}/proposals/{p.pk}/moderate", {"accept": True}, format="json"), 409)
    assert len(api.get(f"{BASE}/proposals").json()["results"]) == 1


def test_weekly_confirm_and_convene(api, tree, street, staff_a):
    publish_rules(street, tree.subdistrict)
    selection = weekly.weekly_propose(subdistrict=tree.subdistrict)
    api.force_authenticate(staff_a)
    problem(
        api.post(
            f"{BASE}/weekly/{selection.pk}/confirm", {"villages": [tree.village_a.pk, tree.village_b.pk]}, format="json"
        ),
        404,
    )
    api.force_authenticate(street)
    problem(api.post(f"{BASE}/weekly/{selection.pk}/confirm", {"villages": [tree.village_a.pk]}, format="json"), 400)
    assert WeeklySelection.objects.get().status == "proposed"
    r = api.post(
        f"{BASE}/weekly/{selection.pk}/confirm", {"villages": [tree.village_a.pk, tree.village_b.pk]}, format="json"
    )
    assert r.json()["status"] == "confirmed" and len(r.json()["ranking"]) == 2
    problem(
        api.post(
            f"{BASE}/weekly/{selection.pk}/confirm", {"villages": [tree.village_a.pk, tree.village_b.pk]}, format="json"
        ),
        409,
    )
    r = api.post(
        f"{BASE}/weekly/{selection.pk}/convene",
        {"village": tree.village_a.pk, "starts_at": timezone.now().isoformat(), "place": "西张村"},
        format="json",
    )
    assert r.status_code == 201 and r.json()["kind"] == "joint"
    assert len(api.get(f"{BASE}/weekly").json()["results"]) == 1


def test_list_query_counts(api, tree, staff_a, reps, django_assert_max_num_queries):
    publish_rules(staff_a, tree.village_a)
    for i in range(5):
        m = convene(staff_a, tree.village_a, title=f"会议{i}")
        meetings.meeting_invite(actor=staff_a, meeting=m, representatives=reps)
        agenda.agenda_add_topic(actor=staff_a, meeting=m, title="议题")
        agenda.proposal_submit(village=tree.village_a, title=f"建议{i}", description="内容", proposer_name="王五")
    api.force_authenticate(staff_a)
    for url in ("meetings", "rules", "proposals", "weekly"):
        with django_assert_max_num_queries(10):
            assert api.get(f"{BASE}/{url}").status_code == 200
    with django_assert_max_num_queries(14):
        assert api.get(f"{BASE}/meetings/{m.pk}").status_code == 200
