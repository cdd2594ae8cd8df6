"""The export gate end to end through pages (ADR 0060): masked small exports
download at once with a watermark; unmasked or large ones need a security
administrator's approval with reasons, then download for their requester
until they expire, every download audited."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grassroots.core.models import AuditEntry
from grassroots.exports.models import ExportRequest
from grassroots.exports.services import export_requests_expire_due
from grassroots.exports.states import ExportState

pytestmark = pytest.mark.django_db
XLSX = "spreadsheet"


def _book(response):
    return load_workbook(io.BytesIO(response.content))


def _ask(client, url, reason="民政局核对低保对象名单"):
    return client.post(
        url.replace("/regions/residents/export/", "/exports/run/regions-residents/request/"), {"reason": reason}
    )


def test_masked_small_export_downloads_at_once_with_a_watermark(client, tree, staff):
    client.force_login(staff)
    response = client.get(reverse("regions:resident-export"))
    assert response.status_code == 200 and XLSX in response["Content-Type"]
    book = _book(response)
    sheet = book.active
    assert "导出人" in book.properties.creator and "staff_export" in book.properties.creator
    assert "staff_export" in sheet.oddFooter.center.text and "导出时间" in sheet.oddHeader.center.text
    ids = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert ids and all("*" in value for value in ids)
    assert AuditEntry.objects.filter(action="data.export", actor=staff).count() == 1
    assert not ExportRequest.objects.exists()


def test_unmasked_export_shows_the_approval_form_not_a_file(client, tree, staff, unmasked_url):
    client.force_login(staff)
    response = client.get(unmasked_url)
    assert response.status_code == 200 and XLSX not in response["Content-Type"]
    text = response.content.decode()
    assert "需审批" in text and "不脱敏" in text and 'name="reason"' in text
    assert not AuditEntry.objects.filter(action="data.export").exists()


def test_over_the_row_limit_needs_approval(client, tree, staff, settings):
    settings.EXPORT_APPROVAL_ROW_LIMIT = 1
    client.force_login(staff)
    response = client.get(reverse("regions:resident-export"))
    assert XLSX not in response["Content-Type"]
    assert "超过 1 行的上限" in response.content.decode()
    settings.EXPORT_APPROVAL_ROW_LIMIT = 2
    assert XLSX in client.get(reverse("regions:resident-export"))["Content-Type"]


def test_a_request_without_a_reason_is_refused_and_nothing_is_written(client, tree, staff, unmasked_url):
    client.force_login(staff)
    response = _ask(client, unmasked_url, reason="   ")
    assert response.status_code == 400
    assert "请填写导出事由" in response.content.decode()
    assert not ExportRequest.objects.exists()


def test_ask_approve_download_unmasked(client, tree, staff, security, unmasked_url):
    client.force_login(staff)
    response = _ask(client, unmasked_url)
    assert response.status_code == 302 and response["Location"] == reverse("exports:mine")
    export = ExportRequest.objects.get()
    assert (export.state, export.unmasked, export.estimated_rows, export.requester) == ("requested", True, 2, staff)
    # Not downloadable before approval.
    assert XLSX not in client.get(reverse("exports:download", args=[export.pk]))["Content-Type"]

    client.force_login(security)
    page = client.get(reverse("exports:pending"))
    assert export.number in page.content.decode()
    assert client.post(reverse("exports:approve", args=[export.pk]), {"reason": ""}).status_code == 302
    export.refresh_from_db()
    assert export.state == "requested"  # an empty decision reason changes nothing
    client.post(reverse("exports:approve", args=[export.pk]), {"reason": "核对低保,同意"})
    export.refresh_from_db()
    assert export.state == "approved" and export.decided_by == security and export.decision_reason == "核对低保,同意"
    assert export.expires_at is not None and export.expires_at > timezone.now() + datetime.timedelta(hours=23)
    # Only the requester downloads.
    assert client.get(reverse("exports:download", args=[export.pk])).status_code in (403, 404)

    client.force_login(staff)
    response = client.get(reverse("exports:download", args=[export.pk]))
    assert response.status_code == 200 and XLSX in response["Content-Type"]
    rows = list(_book(response).active.iter_rows(values_only=True))
    assert tree.resident_a1.id_number in [row[3] for row in rows]
    assert export.number in rows[-1][0] and "staff_export" in rows[-1][0]
    client.get(reverse("exports:download", args=[export.pk]))
    export.refresh_from_db()
    assert export.state == ExportState.DOWNLOADED and export.downloads == 2
    downloads = AuditEntry.objects.filter(action="data.export", actor=staff)
    assert downloads.count() == 2 and all(entry.detail.get("unmasked") for entry in downloads)


def test_rejected_and_expired_requests_give_no_file(client, tree, staff, security, unmasked_url):
    client.force_login(staff)
    _ask(client, unmasked_url)
    _ask(client, unmasked_url, reason="第二份")
    first, second = ExportRequest.objects.order_by("pk")
    client.force_login(security)
    client.post(reverse("exports:reject", args=[first.pk]), {"reason": "事由不充分"})
    client.post(reverse("exports:approve", args=[second.pk]), {"reason": "同意"})
    ExportRequest.objects.filter(pk=second.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(staff)
    for export in (first, second):
        response = client.get(reverse("exports:download", args=[export.pk]))
        assert response.status_code == 400 and XLSX not in response["Content-Type"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (ExportState.REJECTED, ExportState.EXPIRED)
    assert not AuditEntry.objects.filter(action="data.export").exists()


def test_expiry_job_expires_due_approvals_and_stale_requests(tree, staff, security, client, unmasked_url, settings):
    client.force_login(staff)
    _ask(client, unmasked_url)
    _ask(client, unmasked_url, reason="第二份")
    _stale, approved = ExportRequest.objects.order_by("pk")
    client.force_login(security)
    client.post(reverse("exports:approve", args=[approved.pk]), {"reason": "同意"})
    assert export_requests_expire_due() == 0
    later = timezone.now() + datetime.timedelta(hours=settings.EXPORT_FILE_HOURS, minutes=1)
    assert export_requests_expire_due(now=later) == 2
    assert set(ExportRequest.objects.values_list("state", flat=True)) == {ExportState.EXPIRED}
    assert export_requests_expire_due(now=later) == 0
