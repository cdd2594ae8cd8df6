"""Regression tests for 500s found by schemathesis (issue 11 item 13): a
non-numeric or out-of-range publication id, and a 评事考评排行 without a node."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from grassroots.matters.tests import factories as f

from ..models import Publication

pytestmark = pytest.mark.django_db
BASE = "/api/v1/publicity/publications"


@pytest.fixture
def street(tree, monkeypatch):
    f.freeze(monkeypatch)
    api = APIClient()
    api.force_authenticate(f.make_staff(tree).street)
    return api


@pytest.mark.parametrize("pk", ["abc", "1.5", "99999999999999999999", "%EF%BC%91"])
@pytest.mark.parametrize("suffix", ["", "/publish", "/withdraw", "/objections"])
def test_a_path_id_that_is_not_a_bigint_is_404(street, pk, suffix):
    response = (
        street.get(f"{BASE}/{pk}{suffix}")
        if suffix in ("", "/objections")
        else street.post(f"{BASE}/{pk}{suffix}", {}, format="json")
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("node", [None, "missing"])
def test_a_ranking_without_a_node_is_a_400_on_node(street, node):
    body = {"kind": "ranking", "title": "评事考评排行", "content": "表扬名单", "channels": ["portal"], "publish": True}
    if node is None:
        body["node"] = None
    response = street.post(BASE, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "node"
    assert Publication.objects.count() == 0


def test_an_id_beyond_bigint_in_the_body_is_a_400(street):
    body = {"kind": "ranking", "node": 10**20, "title": "评事考评排行", "content": "表扬名单", "channels": ["portal"]}
    response = street.post(BASE, body, format="json")
    assert response.status_code == 400
    assert "node" in response.json()["errors"]
    assert Publication.objects.count() == 0
