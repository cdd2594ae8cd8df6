"""API: success, bad input, anonymous 401, wrong role 403, other subtree 404."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from grassroots.evaluation.models import AppraisalSession, Ballot

from .conftest import all_satisfied, issue

BASE = "/api/v1/evaluation/sessions"


@pytest.fixture
def api():
    return APIClient()


def test_list_and_create_matrix(api, world):
    assert api.get(BASE).status_code in (401, 403)
    assert api.get(BASE).status_code == 401
    api.force_authenticate(world.grid)
    assert api.get(BASE).status_code == 403
    api.force_authenticate(world.staff)
    assert api.post(BASE, {"village": world.tree.village_a.pk, "month": "2026-13"}, format="json").status_code == 400
    created = api.post(BASE, {"village": world.tree.village_a.pk, "month": "2026-05"}, format="json")
    assert created.status_code == 201 and created.json()["state"] == "draft"
    assert api.post(BASE, {"village": world.tree.village_a.pk, "month": "2026-05"}, format="json").status_code == 200
    assert api.get(BASE).json()["count"] == 1
    api.force_authenticate(world.other)
    assert api.post(BASE, {"village": world.tree.village_a.pk, "month": "2026-04"}, format="json").status_code == 404
    assert api.get(BASE).json()["count"] == 0
    assert AppraisalSession.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("post", "/freeze", {}),
        ("post", "/slips", {}),
        ("post", "/close", {"attendance": 3}),
        ("get", "/results", None),
    ],
)
def test_session_actions_matrix(api, world, method, suffix, body):
    session = world.session()
    url = f"{BASE}/{session.pk}{suffix}"
    call = getattr(api, method)
    assert call(url, body, format="json").status_code == 401
    api.force_authenticate(world.grid)
    assert call(url, body, format="json").status_code == 403
    api.force_authenticate(world.other)
    assert call(url, body, format="json").status_code == 404
    session.refresh_from_db()
    assert session.state == "draft"


def test_full_flow_over_the_api(api, world):
    session = world.session()
    api.force_authenticate(world.street)
    assert api.post(f"{BASE}/{session.pk}/close", {"attendance": 3}, format="json").status_code == 409
    assert api.post(f"{BASE}/{session.pk}/freeze", {}, format="json").json()["state"] == "frozen"
    slips = api.post(f"{BASE}/{session.pk}/slips", {}, format="json")
    assert slips.status_code == 200 and slips["Content-Type"] == "application/pdf"
    assert api.get(f"{BASE}/{session.pk}/results").status_code == 409  # hidden before close
    assert api.post(f"{BASE}/{session.pk}/close", {"attendance": -1}, format="json").status_code == 400
    closed = api.post(f"{BASE}/{session.pk}/close", {"attendance": 6}, format="json").json()
    assert closed["state"] == "closed" and closed["reconciliation"]["missing"] == 7
    assert len(api.get(f"{BASE}/{session.pk}/results").json()) == 4


def test_public_vote_and_board(world):
    issued = issue(world)
    anon = APIClient()
    url = f"{BASE}/{issued.session.pk}/vote"
    assert anon.post(url, {"code": "x", "choices": {}}, format="json").status_code == 400
    ok = anon.post(url, {"code": issued.codes[0], "choices": all_satisfied(issued.session)}, format="json")
    assert ok.status_code == 201 and len(ok.json()["tracker"]) == 8
    again = anon.post(url, {"code": issued.codes[0], "choices": all_satisfied(issued.session)}, format="json")
    assert again.status_code == 400 and Ballot.objects.count() == 1
    assert anon.get(f"{BASE}/{issued.session.pk}/board").status_code == 404
    assert anon.post(f"{BASE}/9999/vote", {"code": issued.codes[1], "choices": {}}, format="json").status_code == 404


def test_paper_tally_double_entry(api, world):
    issued = issue(world)
    item = str(issued.session.items.get(label="王办理").pk)
    api.force_authenticate(world.staff)
    body = {"ballots": 3, "counts": {item: {"satisfied": 2, "basic": 1, "unsatisfied": 0}}}
    assert api.post(f"{BASE}/{issued.session.pk}/paper-tally", body, format="json").status_code == 200
    assert api.post(f"{BASE}/{issued.session.pk}/paper-tally", body, format="json").status_code == 400  # no reason
    api.force_authenticate(world.street)
    bad = {"ballots": 3, "counts": {item: {"satisfied": 3, "basic": 1, "unsatisfied": 0}}}
    assert api.post(f"{BASE}/{issued.session.pk}/paper-tally", bad, format="json").status_code == 400  # > ballots
    assert api.post(f"{BASE}/{issued.session.pk}/paper-tally", body, format="json").status_code == 200
    from grassroots.evaluation.services.sessions import paper_tally_enter, paper_tally_status

    assert paper_tally_status(session=issued.session)["confirmed"] is not None
    paper_tally_enter(
        session=issued.session,
        actor=world.staff,
        counts={item: {"satisfied": 1, "basic": 2, "unsatisfied": 0}},
        ballots=3,
        reason="复核更正",
    )
    status = paper_tally_status(session=issued.session)
    assert status["mismatch"] and status["confirmed"] is None
    assert issued.session.paper_tallies.get(entered_by=world.staff).edits.get().reason == "复核更正"
