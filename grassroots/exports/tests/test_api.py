"""/api/v1/exports/: the same gate as the pages, as RFC 7807 problems."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.exports.models import ExportRequest

pytestmark = pytest.mark.django_db
RUN = "/api/v1/exports/run/regions-residents"


def _sheet(content):
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return sheet


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_masked_export_through_the_api_is_a_watermarked_file(tree, staff):
    response = _api(staff).get(RUN)
    assert response.status_code == 200
    assert "staff_export" in load_workbook(io.BytesIO(response.content)).properties.creator


def test_unmasked_export_through_the_api_is_refused_with_approval_required(tree, staff):
    response = _api(staff).get(RUN, {"unmasked": "1"})
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "approval_required" and body["unmasked"] is True and body["rows"] == 2
    assert "需审批" in body["detail"]
    assert not AuditEntry.objects.filter(action="data.export").exists()


@pytest.mark.parametrize(
    ("query", "code", "status"),
    [({"unmasked": "2"}, "unmasked_invalid", 400), ({"node": "abc"}, "node_invalid", 400)],
)
def test_bad_parameters_are_400_in_chinese(tree, staff, query, code, status):
    response = _api(staff).get(RUN, query)
    assert response.status_code == status and response.json()["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


def test_another_subtree_node_is_404(tree, make_user):
    village_staff = make_user(Role.VILLAGE_STAFF, tree.village_a)
    assert _api(village_staff).get(RUN, {"node": tree.village_b.pk}).status_code == 404
    assert (
        _api(village_staff).post(f"{RUN}/request?node={tree.village_b.pk}&unmasked=1", {"reason": "x"}).status_code
        == 404
    )
    assert not ExportRequest.objects.exists()


def test_unknown_kind_is_404(tree, staff):
    assert _api(staff).get("/api/v1/exports/run/no-such-export").status_code == 404


def test_roles_without_the_capabilities_are_403(tree, make_user):
    for role in (Role.WINDOW_STAFF, Role.MEDIATOR, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        user = make_user(role, tree.subdistrict)
        assert _api(user).get(RUN).status_code == 403
        assert _api(user).post(f"{RUN}/request?unmasked=1", {"reason": "要"}).status_code == 403
    assert not ExportRequest.objects.exists()


def test_ask_approve_download_through_the_api(tree, staff, security, make_user):
    requester = _api(staff)
    assert requester.post(f"{RUN}/request?unmasked=1", {"reason": ""}).status_code == 400
    assert requester.post(f"{RUN}/request", {"reason": "不需要"}).json()["code"] == "approval_not_needed"
    created = requester.post(f"{RUN}/request?unmasked=1", {"reason": "民政核对"}, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["state"] == "requested" and created.json()["number"] == f"DC{pk:06d}"
    assert requester.get(f"/api/v1/exports/requests/{pk}/download").status_code == 400
    # The requester cannot decide; nor can a role without APPROVE_EXPORTS.
    assert requester.post(f"/api/v1/exports/requests/{pk}/approve", {"reason": "自批"}).status_code == 403
    admin = _api(security)
    assert [row["id"] for row in admin.get("/api/v1/exports/requests/pending").json()["results"]] == [pk]
    assert admin.post(f"/api/v1/exports/requests/{pk}/approve", {"reason": ""}).status_code == 400
    approved = admin.post(f"/api/v1/exports/requests/{pk}/approve", {"reason": "同意"})
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert admin.post(f"/api/v1/exports/requests/{pk}/reject", {"reason": "再驳回"}).status_code == 404
    assert admin.get(f"/api/v1/exports/requests/{pk}/download").status_code == 403  # no EXPORT_DATA
    other = _api(make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict, username="other_staff"))
    assert other.get(f"/api/v1/exports/requests/{pk}/download").status_code == 404
    response = requester.get(f"/api/v1/exports/requests/{pk}/download")
    assert response.status_code == 200
    rows = list(_sheet(response.content).iter_rows(values_only=True))
    assert tree.resident_b1.phone in [row[4] for row in rows]
    assert requester.get("/api/v1/exports/requests").json()["results"][0]["state"] == "downloaded"


def test_a_security_admin_cannot_approve_their_own_request(tree, security, make_user):
    from grassroots.core.errors import PermissionDenied
    from grassroots.exports.services import export_request_approve

    export = ExportRequest.objects.create(requester=security, kind="regions-residents", reason="自用", unmasked=True)
    with pytest.raises(PermissionDenied):
        export_request_approve(actor=security, export=export, reason="同意")
    export.refresh_from_db()
    assert export.state == "requested" and export.decided_by is None
