"""Regressions (issue 11 item 13): month `0000-01` and non-numeric session
ids were 500s; they are a 400 on `month` and a 404."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from grassroots.evaluation.models import AppraisalSession

BASE = "/api/v1/evaluation/sessions"


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.staff)
    return client


@pytest.mark.parametrize("month", ["0000-01", "1900-01", "9999-12", "2026-13", "２０２６-０５"])
def test_a_month_outside_the_sane_range_is_a_400_on_month(api, world, month):
    response = api.post(BASE, {"village": world.tree.village_a.pk, "month": month}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["month"]
    assert not AppraisalSession.objects.exists()


def test_a_village_id_beyond_bigint_is_a_400(api):
    response = api.post(BASE, {"village": 10**20, "month": "2026-05"}, format="json")
    assert response.status_code == 400 and "village" in response.json()["errors"]


@pytest.mark.parametrize("pk", ["abc", "9" * 20])
@pytest.mark.parametrize(("method", "suffix"), [("get", ""), ("post", "/freeze"), ("get", "/board"), ("post", "/vote")])
def test_a_session_id_that_is_not_a_bigint_is_404(api, pk, method, suffix):
    response = getattr(api, method)(f"{BASE}/{pk}{suffix}", **({"format": "json"} if method == "post" else {}))
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("month", ["0000-01", "2026-1x"])
def test_the_ranking_refuses_a_bad_month_on_month(api, month):
    response = api.get("/api/v1/evaluation/ranking", {"month": month})
    assert response.status_code in (400, 403), response.content
    if response.status_code == 400:
        assert list(response.json()["errors"]) == ["month"]
