"""Excel export of the filtered work queue: same filters and scope as the
page, reporter name and phone masked, capped, audited; needs EXPORT_DATA."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.matters.views import queue as views_queue

from .staff_setup import handler, new_matter

# Every place of the small tree has handling staff (ADR 0021).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]


def sheet_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = workbook.active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def staff(tree):
    return handler(tree.village_a, "staff_a")


def test_export_is_filtered_scoped_masked_and_audited(client, tree, staff):
    new_matter(tree.unit_a1, title="楼道堆放杂物")
    new_matter(tree.unit_a1, title="路灯不亮", description="村口的路灯坏了三天了。")
    new_matter(tree.unit_b1, title="楼道堆放杂物")
    anonymous = new_matter(tree.unit_a1, title="楼道漏水", description="楼道顶上一直在漏水。", anonymous=True)
    client.force_login(staff)
    response = client.get("/matters/export/", {"q": "楼道"})
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    header, *rows = sheet_rows(response)
    assert header[0] == "编号" and header[-2:] == ("反映人(脱敏)", "手机号(脱敏)")
    assert sorted(r[1] for r in rows) == ["楼道堆放杂物", "楼道漏水"]
    by_title = {r[1]: r for r in rows}
    assert by_title["楼道堆放杂物"][-2:] == ("王**", "139****5678")
    assert by_title["楼道漏水"][-2] == "匿名"
    assert by_title["楼道堆放杂物"][5] == "待受理"
    assert "13912345678" not in str(rows) and "王小明" not in str(rows)
    entry = AuditEntry.objects.get(action="data.export", actor_id=staff.pk)
    assert entry.detail["rows"] == 2 and entry.object_type == "matters.Matter"
    assert "q=" in entry.detail["filters"]
    assert anonymous.number in {r[0] for r in rows}


def test_export_is_capped(client, tree, staff, monkeypatch):
    for i in range(3):
        new_matter(tree.unit_a1, title=f"事项{i}")
    monkeypatch.setattr(views_queue, "EXPORT_LIMIT", 2)
    client.force_login(staff)
    _header, *rows = sheet_rows(client.get("/matters/export/"))
    assert len(rows) == 2
    assert AuditEntry.objects.get(action="data.export").detail["limit"] == 2
    page = client.get("/matters/").content.decode()
    assert "超过 2 件,导出仅含前 2 件" in page


def test_export_needs_export_capability(client, tree, make_user):
    new_matter(tree.unit_a1)
    worker = make_user(Role.GRID_WORKER, tree.grid_a1)
    client.force_login(worker)
    assert client.get("/matters/export/").status_code == 403
    assert "导出 Excel" not in client.get("/matters/").content.decode()
    assert not AuditEntry.objects.filter(action="data.export").exists()
    assert AuditEntry.objects.filter(action="access.denied", actor_id=worker.pk).exists()
