"""A capability gate the access matrix (ADR 0030) found too wide: exporting
residents needs sight of residents as well as the export capability."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_window_staff_cannot_export_residents(client, tree, make_user):
    # Window staff hold EXPORT_DATA (registration statistics) but not VIEW_RESIDENTS.
    client.force_login(make_user(Role.WINDOW_STAFF, tree.subdistrict))
    response = client.get(reverse("regions:resident-export"))
    assert response.status_code == 403
    assert "spreadsheet" not in response.get("Content-Type", "")
    assert not AuditEntry.objects.filter(action="data.export").exists()


def test_village_staff_can_still_export_residents(client, tree, make_user):
    client.force_login(make_user(Role.VILLAGE_STAFF, tree.village_a))
    response = client.get(reverse("regions:resident-export"))
    assert response.status_code == 200
    assert "spreadsheet" in response["Content-Type"]
