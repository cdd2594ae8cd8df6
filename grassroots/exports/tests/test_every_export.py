"""No unmasked or over-limit export without approval, through pages or API,
for any role: every kind in the registry is driven with unmasked and with
over-limit parameters as every role (ADR 0060)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.exports.models import ExportRequest
from grassroots.exports.registry import export_kinds

pytestmark = pytest.mark.django_db
KINDS = [kind.key for kind in export_kinds()]


def _sheet(content):
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return sheet


def test_the_registry_holds_the_exports():
    assert "regions-residents" in KINDS


@pytest.mark.parametrize("kind_key", KINDS)
@pytest.mark.parametrize("role", list(Role))
def test_no_unmasked_or_large_export_without_approval(client, tree, make_user, settings, kind_key, role):
    settings.EXPORT_APPROVAL_ROW_LIMIT = 0  # every export with a row is "large"
    user = make_user(
        role, None if role in (Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN) else tree.subdistrict
    )
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    kind = next(k for k in export_kinds() if k.key == kind_key)
    queries = (["unmasked=1"] if kind.can_unmask else []) + [""]
    for query in queries:
        page = client.get(f"{reverse('exports:run', args=[kind_key])}?{query}")
        assert "spreadsheet" not in page.get("Content-Type", ""), (role, query)
        assert page.status_code in (200, 403)
        if page.status_code == 200:
            assert "需审批" in page.content.decode()
        answer = api.get(f"/api/v1/exports/run/{kind_key}?{query}")
        assert "spreadsheet" not in answer.get("Content-Type", "")
        assert answer.status_code == 403
        assert answer.json()["code"] in ("approval_required", "permission_denied")
    assert not AuditEntry.objects.filter(action="data.export").exists()
    assert not ExportRequest.objects.exists()


# Every page URL that answers an Excel file, with the URL it is reached at in
# the small tree. A new export URL must be added here (the next test checks).
PAGE_EXPORTS = {
    "regions:resident-export": "/regions/residents/export/",
    "matters:export": "/matters/export/",
    "addresses:export": "/addresses/export/",
    "economy:income-export": "/economy/income/export/",
    "indicators:export": "/indicators/export/",
    "livelihood:coverage-export": "/livelihood/coverage/export/",
    "livelihood:list-export": None,
    "registration:cert-stats-export": "/registration/stats/export/",
    "relocation:report-xlsx": None,
    "safety:statistics-export": "/safety/statistics/export/",
}


def test_every_export_url_is_enumerated():
    from django.urls import get_resolver

    def names(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                space = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                yield from names(pattern, space)
            elif pattern.name:
                yield f"{prefix}{pattern.name}", str(pattern.pattern)

    found = {
        name
        for name, route in names(get_resolver())
        if (name.endswith("export") or route.endswith((".xlsx", "export/")))
        and not name.startswith(("api:", "exports:"))
    }
    assert found == set(PAGE_EXPORTS)


@pytest.mark.parametrize("name", [name for name, url in PAGE_EXPORTS.items() if url])
@pytest.mark.parametrize("role", list(Role))
def test_no_page_export_over_the_limit_without_approval(client, tree, make_user, settings, name, role):
    settings.EXPORT_APPROVAL_ROW_LIMIT = 0
    node = None if role in (Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN) else tree.subdistrict
    client.force_login(make_user(role, node))
    response = client.get(PAGE_EXPORTS[name])
    if "spreadsheet" in response.get("Content-Type", ""):
        # Only a workbook without a single data row may leave (nothing to approve).
        rows = list(_sheet(response.content).iter_rows(min_row=2, values_only=True))
        assert rows == [], (name, role)
        assert AuditEntry.objects.get(action="data.export").detail["rows"] == 0
    else:
        assert response.status_code in (200, 302, 403, 404), (name, role)
        if response.status_code == 200:
            assert "需审批" in response.content.decode()
        assert not AuditEntry.objects.filter(action="data.export").exists()
