"""Capability gates the access matrix (ADR 0030) found too wide: exporting
residents needs sight of residents as well as the export capability, and the
reveal endpoints refuse every role but the security administrator before they
read the request (ADR 0009, 0019)."""

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


@pytest.mark.parametrize("role", [Role.GRID_WORKER, Role.VILLAGE_STAFF])
def test_reveal_page_refuses_a_working_role_before_reading_the_form(client, tree, make_user, role):
    node = tree.grid_a1 if role == Role.GRID_WORKER else tree.village_a
    client.force_login(make_user(role, node))
    response = client.post(reverse("regions:resident-reveal", args=[tree.resident_a1.pk]), {})
    assert response.status_code == 403


def test_reveal_api_refuses_a_working_role_before_reading_the_body(client, tree, make_user):
    client.force_login(make_user(Role.SUBDISTRICT_STAFF, tree.subdistrict))
    response = client.post(
        reverse("api:resident-reveal", args=[tree.resident_a1.pk]), {}, content_type="application/json"
    )
    assert response.status_code == 403


def test_security_admin_still_reaches_the_reveal_form(client, tree, make_user):
    client.force_login(make_user(Role.SECURITY_ADMIN, tree.subdistrict))
    response = client.post(reverse("regions:resident-reveal", args=[tree.resident_a1.pk]), {})
    assert response.status_code == 400  # the reason is missing; nothing revealed
