"""The party API: success, bad input (a Chinese RFC 7807 problem, nothing
written), roles (anonymous 401/403, a role without the capability 403),
another subtree's object (404), the QR sign-in (201 then 200) and the
members-only 红黄榜."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from ..models import Attendance, Branch, Member, PairVisit, PointsRule
from ..services.board import board_compute, board_publish
from .support import member_of, pair_of, training_at

pytestmark = pytest.mark.django_db


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_branches_are_created_and_listed_in_scope(tree, people):
    api = client_of(people.village_a)
    answer = api.post(
        "/api/v1/party/branches", {"name": "西张村党支部", "kind": "branch", "node": tree.village_a.pk}, format="json"
    )
    assert answer.status_code == 201, answer.content
    bad = api.post("/api/v1/party/branches", {"name": "", "kind": "branch", "node": tree.village_a.pk}, format="json")
    assert bad.status_code == 400 and "请填写" in bad.json()["detail"] + str(bad.json())
    other = api.post(
        "/api/v1/party/branches", {"name": "店子党支部", "kind": "branch", "node": tree.village_b.pk}, format="json"
    )
    assert other.status_code == 404
    assert Branch.objects.count() == 1
    assert client_of(people.village_b).get("/api/v1/party/branches").json()["count"] == 0
    assert client_of(people.grid_a).get("/api/v1/party/branches").status_code == 403
    assert APIClient().get("/api/v1/party/branches").status_code in (401, 403)


def test_members_are_masked_and_revealed_with_a_reason(tree, people, branches):
    api = client_of(people.village_a)
    answer = api.post(
        "/api/v1/party/members",
        {"branch": branches["a"].pk, "resident": tree.resident_a1.pk, "post": "secretary"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["name_masked"] != tree.resident_a1.name and "name" not in body
    both = api.post(
        "/api/v1/party/members",
        {"branch": branches["a"].pk, "resident": tree.resident_a1.pk, "user": people.grid_a.pk},
        format="json",
    )
    assert both.status_code == 400
    assert Member.objects.count() == 1
    url = f"/api/v1/party/members/{body['id']}/reveal"
    assert api.post(url, {"reason": ""}, format="json").status_code == 400
    assert client_of(people.village_b).post(url, {"reason": "核对"}, format="json").status_code == 404
    revealed = api.post(url, {"reason": "核对名册"}, format="json")
    assert revealed.status_code == 200 and revealed.json()["name"] == tree.resident_a1.name


def test_a_member_records_a_pair_visit_over_the_api(tree, people, branches):
    member = member_of(branches["a"], user=people.grid_a)
    pair = pair_of(member, tree.resident_a1)
    url = f"/api/v1/party/pairs/{pair.pk}/visit"
    today = timezone.localdate().isoformat()
    assert (
        client_of(people.grid_a)
        .post(url, {"kind": "visit", "visited_on": today, "note": ""}, format="json")
        .status_code
        == 400
    )
    answer = client_of(people.grid_a).post(
        url, {"kind": "help", "visited_on": today, "note": "帮助申请临时救助"}, format="json"
    )
    assert answer.status_code == 201, answer.content
    assert (
        client_of(people.village_b)
        .post(url, {"kind": "visit", "visited_on": today, "note": "x"}, format="json")
        .status_code
        == 404
    )
    assert (
        client_of(people.window)
        .post(url, {"kind": "visit", "visited_on": today, "note": "x"}, format="json")
        .status_code
        == 403
    )
    assert PairVisit.objects.count() == 1


def test_sign_in_by_token_is_idempotent(tree, people, branches):
    member_of(branches["a"], user=people.grid_a)
    training = training_at(tree.village_a)
    api = client_of(people.grid_a)
    assert api.post("/api/v1/party/trainings/sign-in", {"token": "bad"}, format="json").status_code == 400
    assert (
        api.post("/api/v1/party/trainings/sign-in", {"token": training.signin_token}, format="json").status_code == 201
    )
    again = api.post("/api/v1/party/trainings/sign-in", {"token": training.signin_token}, format="json")
    assert again.status_code == 200 and again.json()["created"] is False
    assert (
        client_of(people.village_b)
        .post("/api/v1/party/trainings/sign-in", {"token": training.signin_token}, format="json")
        .status_code
        == 400
    )
    assert Attendance.objects.count() == 1
    created = client_of(people.village_a).post(
        "/api/v1/party/trainings",
        {
            "title": "党务工作者培训",
            "audience": "workers",
            "node": tree.village_a.pk,
            "starts_at": timezone.now().isoformat(),
            "hours": "30",
        },
        format="json",
    )
    assert created.status_code == 400 and "24" in str(created.json())


def test_the_board_is_computed_by_the_subdistrict_and_read_by_members(tree, people, branches):
    member_of(branches["a"], user=people.grid_a)
    month = timezone.localdate().strftime("%Y-%m")
    assert (
        client_of(people.village_a).post("/api/v1/party/boards/compute", {"month": month}, format="json").status_code
        == 404
    )
    assert (
        client_of(people.street).post("/api/v1/party/boards/compute", {"month": "2026-13"}, format="json").status_code
        == 400
    )
    answer = client_of(people.street).post("/api/v1/party/boards/compute", {"month": month}, format="json")
    assert answer.status_code == 200, answer.content
    board_id = answer.json()["id"]
    member_api = client_of(people.grid_a)
    assert member_api.get("/api/v1/party/boards").json()["count"] == 0  # a draft is not the members'
    assert client_of(people.street).post(f"/api/v1/party/boards/{board_id}/publish").status_code == 200
    assert member_api.get("/api/v1/party/boards").json()["count"] == 1
    entries = member_api.get(f"/api/v1/party/boards/{board_id}/entries").json()
    assert any(e["breakdown"].get("training_hour") for e in entries)
    assert client_of(people.window).get("/api/v1/party/boards").status_code == 403
    rule = client_of(people.street).post("/api/v1/party/boards/rule", {"training_hour": "x"}, format="json")
    assert rule.status_code == 400 and not PointsRule.objects.filter(version=2).exists()


def test_a_published_board_cannot_be_recomputed(tree, people, branches):
    board = board_compute(actor=people.street, subdistrict=tree.subdistrict, month=timezone.localdate())
    board_publish(actor=people.street, board=board)
    again = client_of(people.street).post(
        "/api/v1/party/boards/compute", {"month": f"{board.month:%Y-%m}"}, format="json"
    )
    assert again.status_code == 409 and pair_of is not None
