"""Authorisation matrix for the regions API: anonymous, wrong role, other
subtree (404), allowed; plus bad input."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_anonymous_gets_401_problem(api, tree):
    response = api.get("/api/v1/nodes")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["title"] == "需要登录"


def test_token_auth_works(api, tree, make_user):
    from grassroots.accounts.tokens.services import api_token_issue_for_tests

    user = make_user(Role.VILLAGE_STAFF, tree.village_a)
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue_for_tests(user=user)}")
    assert api.get("/api/v1/me").json()["username"] == user.username


def test_node_list_is_scoped(api, tree, make_user):
    api.force_authenticate(make_user(Role.VILLAGE_STAFF, tree.village_a))
    response = api.get("/api/v1/nodes")
    assert response.status_code == 200
    paths = {row["id"] for row in response.json()["results"]}
    assert tree.village_a.pk in paths
    assert tree.village_b.pk not in paths
    assert tree.subdistrict.pk not in paths


def test_node_list_parent_and_level_filters(api, tree, make_user):
    api.force_authenticate(make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict))
    rows = api.get("/api/v1/nodes", {"parent": tree.subdistrict.pk}).json()["results"]
    assert [r["id"] for r in rows] == [tree.village_a.pk, tree.village_b.pk]
    assert all(r["parent"] == tree.subdistrict.pk for r in rows)
    grids = api.get("/api/v1/nodes", {"level": 3}).json()["results"]
    assert len(grids) == 4


@pytest.mark.parametrize("params", [{"level": "9"}, {"level": "x"}, {"parent": "abc"}])
def test_node_list_bad_input(api, tree, make_user, params):
    api.force_authenticate(make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict))
    response = api.get("/api/v1/nodes", params)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid"
    assert set(body["errors"]) == set(params)


def test_node_detail_other_subtree_is_404(api, tree, make_user):
    api.force_authenticate(make_user(Role.GRID_WORKER, tree.grid_a1))
    assert api.get(f"/api/v1/nodes/{tree.grid_a1.pk}").status_code == 200
    for other in (tree.grid_a2, tree.village_b, tree.subdistrict):
        response = api.get(f"/api/v1/nodes/{other.pk}")
        assert response.status_code == 404
        assert response.json()["detail"] == "未找到该对象,或您无权查看。"
    assert api.get("/api/v1/nodes", {"parent": tree.village_b.pk}).status_code == 404


def test_node_detail_has_counts(api, tree, make_user):
    api.force_authenticate(make_user(Role.VILLAGE_STAFF, tree.village_a))
    body = api.get(f"/api/v1/nodes/{tree.village_a.pk}").json()
    assert body["counts"]["grids"] == 2
    assert body["counts"]["residents"] == 1
    assert body["level_display"] == "村/社区"


def test_wrong_role_is_403_and_audited(api, tree, make_user):
    user = make_user(Role.WINDOW_STAFF, tree.subdistrict)
    api.force_authenticate(user)
    response = api.get("/api/v1/nodes")
    assert response.status_code == 403
    assert response.json()["title"] == "没有权限"
    assert AuditEntry.objects.filter(action="access.denied", actor_id=user.pk).exists()


def test_resident_list_is_masked_and_scoped(api, tree, make_user):
    api.force_authenticate(make_user(Role.VILLAGE_STAFF, tree.village_a))
    rows = api.get("/api/v1/residents").json()["results"]
    assert [r["id"] for r in rows] == [tree.resident_a1.pk]
    assert rows[0]["id_number"] == tree.resident_a1.id_number[:3] + "*" * 13 + tree.resident_a1.id_number[-2:]
    assert "birth_date" not in rows[0] and rows[0]["age"] >= 75
    assert rows[0]["phone"] == "138****0000"
    assert api.get(f"/api/v1/residents/{tree.resident_b1.pk}").status_code == 404


def test_resident_search_by_exact_id_number(api, tree, make_user):
    api.force_authenticate(make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict))
    rows = api.get("/api/v1/residents", {"q": tree.resident_b1.id_number}).json()["results"]
    assert [r["id"] for r in rows] == [tree.resident_b1.pk]
    assert api.get("/api/v1/residents", {"q": "x" * 51}).status_code == 400


def test_resident_node_filter_other_subtree_404(api, tree, make_user):
    api.force_authenticate(make_user(Role.VILLAGE_STAFF, tree.village_a))
    assert api.get("/api/v1/residents", {"node": tree.village_b.pk}).status_code == 404


def test_reveal_allowed_and_audited(api, tree, make_user):
    user = make_user(Role.SECURITY_ADMIN, tree.subdistrict)
    api.force_authenticate(user)
    response = api.post(f"/api/v1/residents/{tree.resident_a1.pk}/reveal", {"reason": "核实低保"}, format="json")
    assert response.status_code == 200
    assert response.json()["id_number"] == tree.resident_a1.id_number
    entry = AuditEntry.objects.filter(action="data.reveal").last()
    assert entry is not None
    assert entry.actor_id == user.pk and entry.result == "success" and entry.object_id == str(tree.resident_a1.pk)


def test_reveal_requires_reason(api, tree, make_user):
    api.force_authenticate(make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict))
    response = api.post(f"/api/v1/residents/{tree.resident_a1.pk}/reveal", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["reason"] == ["请填写查看事由。"]
    assert not AuditEntry.objects.filter(action="data.reveal").exists()


def test_reveal_denied_for_grid_worker_and_audited(api, tree, make_user):
    user = make_user(Role.GRID_WORKER, tree.grid_a1)
    api.force_authenticate(user)
    response = api.post(f"/api/v1/residents/{tree.resident_a1.pk}/reveal", {"reason": "好奇"}, format="json")
    assert response.status_code == 403
    assert "id_number" not in response.json()
    assert AuditEntry.objects.filter(action="data.reveal", result="denied", actor_id=user.pk).exists()


def test_reveal_other_subtree_404(api, tree, make_user):
    village_a_security = make_user(Role.SECURITY_ADMIN, tree.village_a)
    api.force_authenticate(village_a_security)
    response = api.post(f"/api/v1/residents/{tree.resident_b1.pk}/reveal", {"reason": "核实"}, format="json")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="data.reveal", result="success").exists()
