"""Every page's own Excel export passes the guard core.documents consults:
over the row limit it answers 需审批 instead of the file; approved, the same
page is replayed for the requester and the workbook carries the number."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core import signing
from django.urls import reverse
from openpyxl import load_workbook

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.exports.models import ExportRequest
from grassroots.matters.tests.staff_setup import handler, new_matter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]


def _sheet(content):
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return sheet


def _token(page):
    text = page.content.decode()
    return text.split('name="token" value="', 1)[1].split('"', 1)[0]


def test_a_page_export_over_the_limit_needs_approval_then_downloads_watermarked(client, tree, security, settings):
    settings.EXPORT_APPROVAL_ROW_LIMIT = 1
    staff = handler(tree.village_a, "matters_staff")
    new_matter(tree.unit_a1, title="楼道堆放杂物")
    new_matter(tree.unit_a1, title="路灯不亮")
    client.force_login(staff)
    page = client.get("/matters/export/?q=")
    assert page.status_code == 200 and "spreadsheet" not in page["Content-Type"]
    assert "需审批" in page.content.decode() and "超过 1 行的上限" in page.content.decode()
    assert not AuditEntry.objects.filter(action="data.export").exists()
    token = _token(page)

    # A forged or foreign token asks for nothing.
    forged = client.post(reverse("exports:request-page"), {"token": token + "x", "reason": "核对"})
    assert forged.status_code == 400 and not ExportRequest.objects.exists()
    assert client.post(reverse("exports:request-page"), {"token": token, "reason": ""}).status_code == 400
    assert not ExportRequest.objects.exists()
    assert client.post(reverse("exports:request-page"), {"token": token, "reason": "年度台账核对"}).status_code == 302
    export = ExportRequest.objects.get()
    assert (export.kind, export.estimated_rows, export.params["path"]) == ("page", 2, "/matters/export/")
    assert export.kind_label.startswith("事项清单")

    other = handler(tree.village_a, "matters_staff_2")
    client.force_login(other)
    stolen = client.post(reverse("exports:request-page"), {"token": token, "reason": "借用"})
    assert stolen.status_code == 400 and ExportRequest.objects.count() == 1

    client.force_login(security)
    client.post(reverse("exports:approve", args=[export.pk]), {"reason": "同意"})
    client.force_login(staff)
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200 and "spreadsheet" in response["Content-Type"]
    rows = list(_sheet(response.content).iter_rows(values_only=True))
    assert len(rows) == 4 and export.number in rows[-1][0]
    entry = AuditEntry.objects.get(action="data.export")
    assert entry.detail["number"] == export.number and entry.detail["rows"] == 2
    export.refresh_from_db()
    assert export.state == "downloaded" and export.downloads == 1


def test_signed_token_is_bound_to_its_user(tree, make_user):
    data = {"path": "/matters/export/", "query": "", "filename": "x.xlsx", "rows": 9, "user": 1}
    assert signing.loads(signing.dumps(data, salt="grassroots.exports.page"), salt="grassroots.exports.page") == data
    with pytest.raises(signing.BadSignature):
        signing.loads(signing.dumps(data, salt="other"), salt="grassroots.exports.page")


def test_a_page_export_within_the_limit_is_unchanged_but_watermarked(client, tree):
    staff = handler(tree.village_a, "matters_staff")
    new_matter(tree.unit_a1, title="楼道堆放杂物")
    client.force_login(staff)
    response = client.get("/matters/export/")
    assert "spreadsheet" in response["Content-Type"]
    assert "matters_staff" in load_workbook(io.BytesIO(response.content)).properties.creator
    assert staff.role == Role.VILLAGE_STAFF


def test_a_care_list_pdf_carries_the_watermark(client, tree, make_user):
    client.force_login(make_user(Role.VILLAGE_STAFF, tree.village_a, username="care_staff"))
    response = client.get(reverse("livelihood:list-print", args=[tree.grid_a1.pk, "birthday"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed"
    text = subprocess.run(
        [pdftotext, "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "care_staff" in text and "导出时间" in text
