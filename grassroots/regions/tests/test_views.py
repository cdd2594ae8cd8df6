"""Tree and resident pages: scoping, capabilities, masking, export."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_tree_redirects_to_own_node(client, tree, make_user):
    client.force_login(make_user(Role.VILLAGE_STAFF, tree.village_a))
    response = client.get("/regions/")
    assert response.status_code == 302
    assert response["Location"] == f"/regions/{tree.village_a.pk}/"


def test_node_page_counts_and_children(client, tree, make_user, django_assert_max_num_queries):
    client.force_login(make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict))
    with django_assert_max_num_queries(20):
        response = client.get(f"/regions/{tree.subdistrict.pk}/")
    assert response.status_code == 200
    labels = [row.node.label for row in response.context["rows"]]
    assert labels == ["西张村", "店子社区"]
    assert response.context["rows"][0].grids == 2


def test_node_page_other_subtree_404(client, tree, make_user):
    client.force_login(make_user(Role.GRID_WORKER, tree.grid_a1))
    assert client.get(f"/regions/{tree.grid_a2.pk}/").status_code == 404
    assert client.get(f"/regions/{tree.village_a.pk}/").status_code == 404


def test_window_staff_cannot_browse_tree(client, tree, make_user):
    client.force_login(make_user(Role.WINDOW_STAFF, tree.subdistrict))
    assert client.get(f"/regions/{tree.subdistrict.pk}/").status_code == 403


def test_resident_list_masks_and_scopes(client, tree, make_user):
    client.force_login(make_user(Role.VILLAGE_STAFF, tree.village_a))
    response = client.get("/regions/residents/")
    html = response.content.decode()
    assert "张三" in html
    assert "李四" not in html
    assert tree.resident_a1.id_number not in html
    assert tree.resident_a1.phone not in html
    assert client.get("/regions/residents/", {"node": tree.village_b.pk}).status_code == 404
    assert client.get("/regions/residents/", {"node": "x"}).status_code == 404


def test_reveal_page_requires_reason_and_capability(client, tree, make_user):
    client.force_login(make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict))
    response = client.post(f"/regions/residents/{tree.resident_a1.pk}/reveal/", {"reason": " "})
    assert response.status_code == 400
    assert "请填写查看事由" in response.content.decode()
    assert not AuditEntry.objects.filter(action="data.reveal").exists()
    client.force_login(make_user(Role.GRID_WORKER, tree.grid_a1))
    response = client.post(f"/regions/residents/{tree.resident_a1.pk}/reveal/", {"reason": "核实"})
    assert response.status_code == 403
    assert tree.resident_a1.id_number not in response.content.decode()


def test_export_is_masked_and_audited(client, tree, make_user):
    user = make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict)
    client.force_login(user)
    response = client.get("/regions/residents/export/")
    assert response.status_code == 200
    workbook = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    sheet = workbook.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "性别", "年龄")
    assert isinstance(rows[1][2], int) and rows[1][2] >= 75  # born 1950-03-01: the age, never the birth date
    assert len(rows) == 3
    flat = " ".join(str(c) for row in rows for c in row)
    assert tree.resident_a1.id_number not in flat
    assert "1950" not in flat
    assert tree.resident_a1.id_number[:3] + "*" * 13 in flat
    entry = AuditEntry.objects.get(action="data.export")
    assert entry.actor_id == user.pk
    assert entry.detail["rows"] == 2


def test_export_denied_without_capability(client, tree, make_user):
    client.force_login(make_user(Role.GRID_WORKER, tree.grid_a1))
    assert client.get("/regions/residents/export/").status_code == 403
    assert not AuditEntry.objects.filter(action="data.export").exists()
