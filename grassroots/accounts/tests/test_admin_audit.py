"""Every administrator action in the admin site is in the audit chain, and the
admin site opens only what the system administrator owns (ADR 0059)."""

from __future__ import annotations

import pytest
from django.contrib import admin

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry, HolidayOverride
from grassroots.core.tests.access_policy import ADMIN_MODELS
from grassroots.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(tree):
    return UserFactory(username="sys", role=Role.SYSTEM_ADMIN, jurisdiction=tree.subdistrict, is_staff=True)


def _actions(actor: User, account: User) -> list[str]:
    rows = AuditEntry.objects.filter(actor_id=actor.pk, object_id=str(account.pk)).order_by("id")
    return list(rows.values_list("action", flat=True))


def test_each_user_action_in_the_admin_is_audited(client, sysadmin, tree):
    client.force_login(sysadmin)
    password = "Admin-chosen-pass-1"
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "w1",
            "display_name": "新人",
            "role": Role.GRID_WORKER,
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 302
    account = User.objects.get(username="w1")
    base = {"username": "w1", "display_name": "新人", "email": "", "jurisdiction": "", "is_active": "on"}
    assert (
        client.post(f"/admin/accounts/user/{account.pk}/change/", {**base, "role": Role.VILLAGE_STAFF}).status_code
        == 302
    )
    new_password = "Second-admin-pass-2"
    reset = client.post(
        f"/admin/accounts/user/{account.pk}/password/",
        {"password1": new_password, "password2": new_password, "set_usable_password": "true"},
    )
    assert reset.status_code == 302
    action = client.post("/admin/accounts/user/", {"action": "deactivate_selected", "_selected_action": [account.pk]})
    assert action.status_code == 302
    assert _actions(sysadmin, account) == [
        "data.create",
        "data.update",
        "accounts.password_reset",
        "accounts.deactivate",
    ]
    role_change = AuditEntry.objects.get(action="data.update", object_id=str(account.pk))
    assert role_change.detail["changes"]["role"] == [Role.GRID_WORKER, Role.VILLAGE_STAFF]
    account.refresh_from_db()
    assert account.must_change_password and not account.is_active


def test_holiday_calendar_changes_in_the_admin_are_audited(client, sysadmin):
    client.force_login(sysadmin)
    response = client.post(
        "/admin/core/holidayoverride/add/",
        {"date": "2027-10-08", "is_workday": "", "name": "国庆调休", "note": "", "confirmed": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    override = HolidayOverride.objects.get(date="2027-10-08")
    created = AuditEntry.objects.get(action="data.create", object_id=str(override.pk), actor_id=sysadmin.pk)
    assert created.object_type.lower() == "core.holidayoverride" and "confirmed" in created.detail["fields"]
    response = client.post(f"/admin/core/holidayoverride/{override.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not HolidayOverride.objects.filter(pk=override.pk).exists()
    assert AuditEntry.objects.filter(action="data.delete", object_id=str(override.pk), actor_id=sysadmin.pk).exists()


def test_every_registered_admin_model_has_a_declared_owner():
    registered = {f"{model._meta.app_label}_{model._meta.model_name}" for model in admin.site._registry}
    assert registered == set(ADMIN_MODELS)


@pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.SUBDISTRICT_STAFF])
def test_the_other_administrators_have_their_own_pages_not_the_admin_site(client, tree, role):
    client.force_login(UserFactory(role=role, jurisdiction=tree.subdistrict, is_staff=True))
    for path in ("/admin/", "/admin/accounts/user/", "/admin/core/holidayoverride/"):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], (role, path)


def test_superuser_without_a_role_opens_nothing_in_the_admin(client, db):
    client.force_login(UserFactory(username="root", role="", is_superuser=True, is_staff=True))
    for path in ("/admin/", "/admin/core/holidayoverride/add/", "/admin/regions/node/"):
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], path
