"""/api/v1/economy/: per endpoint, success, bad input (400 with a Chinese
problem detail, nothing written), roles (anonymous, wrong role) and another
subtree (404)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from grassroots.core.actors import SYSTEM
from grassroots.party.services.organisation import branch_create

from ..models import Company, DistributionPlan, IncomeEntry, IncomeTarget, Shareholding
from ..states import State
from .support import company_at, company_of, joint_committee, plan_in_state, vote

pytestmark = pytest.mark.django_db
BASE = "/api/v1/economy"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def test_committee_endpoints_are_gone_and_a_company_names_partys_joint_committee(tree, people):
    """One 联村党委 (ADR 0045): economy keeps no committee of its own; a
    company references party's organisation of kind 联村党委."""
    assert api(people.street).get(f"{BASE}/committees").status_code == 404
    joint = joint_committee(tree)
    created = api(people.street).post(f"{BASE}/companies", _company_body(tree, committee=joint.pk), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["committee"] == joint.pk and created.json()["committee_name"] == "湖田联村党委"
    assert Company.objects.get().committee == joint


def test_a_company_cannot_name_a_branch_that_is_not_a_joint_committee(tree, people):
    branch = branch_create(actor=SYSTEM, name="西张村党支部", kind="branch", node=tree.village_a)
    problem(api(people.street).post(f"{BASE}/companies", _company_body(tree, committee=branch.pk), format="json"), 404)
    assert not Company.objects.exists()


def _company_body(tree, **changes):
    data = {
        "name": "山东宏湖控股有限公司",
        "founded_on": "2024-01-01",
        "shares": [
            {"village": tree.village_a.pk, "contribution": "2000000.00", "share": "60"},
            {"village": tree.village_b.pk, "contribution": "1000000.00", "share": "40"},
        ],
    }
    data.update(changes)
    return data


def test_company_create_shares_and_change(tree, people):
    client = api(people.street)
    created = client.post(f"{BASE}/companies", _company_body(tree), format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    shares = client.get(f"{BASE}/companies/{pk}/shares", {"on": "2024-06-01"}).json()
    assert [(r["village_label"], r["share"]) for r in shares] == [("西张村", "60.0000"), ("店子社区", "40.0000")]
    changed = client.post(
        f"{BASE}/companies/{pk}/change-shares",
        {
            "valid_from": "2025-01-01",
            "shares": [
                {"village": tree.village_a.pk, "contribution": "1.00", "share": "50"},
                {"village": tree.village_b.pk, "contribution": "1.00", "share": "50"},
            ],
        },
        format="json",
    )
    assert changed.status_code == 200, changed.content
    assert Shareholding.objects.count() == 4
    assert client.get(f"{BASE}/companies/{pk}/shares", {"on": "2024-12-31"}).json()[0]["share"] == "60.0000"
    problem(client.get(f"{BASE}/companies/{pk}/shares", {"on": "yesterday"}), 400)


def test_company_bad_input_writes_nothing(tree, people):
    client = api(people.street)
    bad = _company_body(tree)
    bad["shares"][1]["share"] = "39.99"
    detail = problem(client.post(f"{BASE}/companies", bad, format="json"), 400)
    assert "100%" in str(detail)
    problem(client.post(f"{BASE}/companies", _company_body(tree, founded_on="2024-13-01"), format="json"), 400)
    problem(client.post(f"{BASE}/companies", _company_body(tree, shares="x"), format="json"), 400)
    assert not Company.objects.exists() and not Shareholding.objects.exists()
    # A village outside the caller's subtree is not found.
    problem(api(people.street_a).post(f"{BASE}/companies", _company_body(tree), format="json"), 404)
    assert not Company.objects.exists()


def test_company_roles_and_scope(tree, people):
    theirs = company_at(tree.village_b)
    assert api().get(f"{BASE}/companies").status_code in (401, 403)
    problem(api(people.window).get(f"{BASE}/companies"), 403)
    problem(api(people.grid_a).get(f"{BASE}/companies"), 403)
    problem(api(people.village_a).get(f"{BASE}/companies/{theirs.pk}"), 404)
    problem(api(people.street_a).post(f"{BASE}/companies/{theirs.pk}/change-shares", {}, format="json"), 404)
    mine = company_at(tree.village_a)
    problem(api(people.village_a).post(f"{BASE}/companies/{mine.pk}/change-shares", {}, format="json"), 403)
    assert api(people.village_a).get(f"{BASE}/companies").json()["count"] == 1


def test_income_create_list_by_village_and_target(tree, people):
    client = api(people.village_a)
    body = {"village": tree.village_a.pk, "month": "2025-03", "source": "market", "amount": "85000.50"}
    created = client.post(f"{BASE}/income", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["month"] == "2025-03" and created.json()["source_display"] == "便民市场"
    problem(client.post(f"{BASE}/income", body, format="json"), 400)  # the same month and source twice
    assert client.get(f"{BASE}/income", {"year": 2025}).json()["count"] == 1
    assert client.get(f"{BASE}/income", {"year": 2024}).json()["count"] == 0
    problem(client.get(f"{BASE}/income", {"year": "abc"}), 400)
    problem(client.post(f"{BASE}/income/target", {"village": tree.village_a.pk, "year": 2025, "amount": "1"}), 403)
    target = api(people.street).post(
        f"{BASE}/income/target", {"village": tree.village_a.pk, "year": 2025, "amount": "500000"}, format="json"
    )
    assert target.status_code == 200, target.content
    assert target.json()["rate"] == "17.0"
    rows = api(people.street).get(f"{BASE}/income/by-village", {"year": 2025}).json()
    assert [(r["village_label"], r["actual"]) for r in rows] == [("西张村", "85000.50"), ("店子社区", "0.00")]
    assert IncomeTarget.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "status", "word"),
    [
        ({"amount": "-5"}, 400, "小于零"),
        ({"amount": "1.234"}, 400, "分"),
        ({"month": "2025-13"}, 400, "月份"),
        ({"source": "lottery"}, 400, "收入来源"),
        ({"village": 99999999}, 404, ""),
        ({"village": "b"}, 404, ""),
    ],
)
def test_income_bad_input(tree, people, changes, status, word):
    body = {"village": tree.village_a.pk, "month": "2025-03", "source": "market", "amount": "1.00", **changes}
    if body["village"] == "b":
        body["village"] = tree.village_b.pk
    detail = problem(api(people.village_a).post(f"{BASE}/income", body, format="json"), status)
    assert word in str(detail)
    assert not IncomeEntry.objects.exists()


def test_income_roles(tree, people):
    body = {"village": tree.grid_a1.pk, "month": "2025-03", "source": "market", "amount": "1.00"}
    problem(api(people.grid_a).post(f"{BASE}/income", body, format="json"), 403)
    assert api().post(f"{BASE}/income", body, format="json").status_code in (401, 403)
    assert not IncomeEntry.objects.exists()


def test_plan_create_and_workflow(tree, people):
    company = company_of(tree.subdistrict, [(tree.village_a, "66.6666"), (tree.village_b, "33.3334")])
    client = api(people.street)
    created = client.post(f"{BASE}/plans", {"company": company.pk, "year": 2025, "total": "2100000.00"}, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert sum(Decimal(line["amount"]) for line in data["lines"]) == Decimal("2100000.00")
    pk = data["id"]
    recomputed = client.post(
        f"{BASE}/plans/{pk}/recompute", {"total": "0.01", "shares_on": "2025-12-31"}, format="json"
    )
    assert [line["amount"] for line in recomputed.json()["lines"]] == ["0.01", "0.00"]
    assert client.post(f"{BASE}/plans/{pk}/submit").json()["state"] == State.SUBMITTED
    problem(client.post(f"{BASE}/plans/{pk}/approve", {"resolution": ""}, format="json"), 400)
    problem(client.post(f"{BASE}/plans/{pk}/read-resolution"), 409)  # no meeting has voted yet
    assert client.post(f"{BASE}/plans/{pk}/return", {"reason": "比例有误"}, format="json").json()["state"] == "returned"
    resubmitted = client.post(f"{BASE}/plans/{pk}/submit").json()
    vote(tree, people.village_a, DistributionPlan.objects.get(pk=pk), votes_for=3, against=0)
    approved = client.post(f"{BASE}/plans/{pk}/read-resolution").json()
    assert approved["state"] == State.APPROVED and "赞成 3" in approved["resolution"]
    assert approved["matter"] == resubmitted["matter"]
    problem(client.post(f"{BASE}/plans/{pk}/distribute"), 409)
    assert client.post(f"{BASE}/plans/{pk}/publish").json()["state"] == State.PUBLISHED
    assert client.post(f"{BASE}/plans/{pk}/distribute").json()["state"] == State.DISTRIBUTED
    events = client.get(f"{BASE}/plans/{pk}/events").json()
    assert [e["action"] for e in events][:3] == ["create", "recompute", "submit"]
    assert client.get(f"{BASE}/plans").json()["count"] == 1


def test_plan_bad_input_roles_and_scope(tree, people):
    company = company_at(tree.village_a)
    client = api(people.street)
    problem(client.post(f"{BASE}/plans", {"company": company.pk, "year": 2025, "total": "0"}, format="json"), 400)
    problem(client.post(f"{BASE}/plans", {"company": company.pk, "year": 1900, "total": "1"}, format="json"), 400)
    problem(client.post(f"{BASE}/plans", {"company": company.pk, "year": 2025, "total": "x"}, format="json"), 400)
    assert not DistributionPlan.objects.exists()
    problem(api(people.village_a).post(f"{BASE}/plans", {"company": company.pk, "year": 2025, "total": "1"}), 403)
    theirs = plan_in_state(company_at(tree.village_b), State.DRAFT)
    problem(api(people.street_a).get(f"{BASE}/plans/{theirs.pk}"), 404)
    problem(api(people.street_a).post(f"{BASE}/plans/{theirs.pk}/submit"), 404)
    problem(api(people.village_b).post(f"{BASE}/plans/{theirs.pk}/submit"), 403)
    assert DistributionPlan.objects.get(pk=theirs.pk).state == State.DRAFT
