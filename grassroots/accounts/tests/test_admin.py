"""The Django admin posts, as each administrator: it goes through the account
services, so 三权分立 holds there too (ADR 0025)."""

from __future__ import annotations

import pytest

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-pass-2027"


@pytest.fixture
def people(tree):
    sub = tree.subdistrict
    return {
        "sys": UserFactory(username="sys", role=Role.SYSTEM_ADMIN, jurisdiction=sub, is_staff=True),
        "sec": UserFactory(username="sec", role=Role.SECURITY_ADMIN, jurisdiction=sub, is_staff=True),
        "auditor": UserFactory(username="auditor", role=Role.AUDIT_ADMIN, jurisdiction=sub, is_staff=True),
        "grid": UserFactory(username="grid", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1),
    }


def _add(client, role, username="newone"):
    return client.post(
        "/admin/accounts/user/add/",
        {
            "username": username,
            "display_name": "新人",
            "role": role,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def _change(client, account, **overrides):
    data = {
        "username": account.username,
        "display_name": account.display_name,
        "email": "",
        "role": account.role,
        "jurisdiction": account.jurisdiction_id or "",
        "is_active": "on" if account.is_active else "",
    }
    data.update(overrides)
    return client.post(f"/admin/accounts/user/{account.pk}/change/", data)


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SECURITY_ADMIN])
def test_system_admin_cannot_create_auditor_or_security_admin(client, people, role):
    client.force_login(people["sys"])
    form_page = client.get("/admin/accounts/user/add/").content.decode()
    assert 'value="grid_worker"' in form_page and f'value="{role}"' not in form_page
    response = _add(client, role)
    assert response.status_code == 200  # the form again, with the reason
    assert "安全管理员申请" in response.content.decode()
    assert not User.objects.filter(username="newone").exists()
    assert AuditEntry.objects.filter(actor_id=people["sys"].pk, action="access.denied").exists()


def test_system_admin_creates_working_staff_through_the_service(client, people):
    client.force_login(people["sys"])
    response = _add(client, Role.GRID_WORKER)
    assert response.status_code == 302
    account = User.objects.get(username="newone")
    assert account.role == Role.GRID_WORKER and account.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="data.create", object_id=str(account.pk)).exists()


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN])
def test_system_admin_cannot_change_anyones_role_to_an_administrator(client, people, role):
    client.force_login(people["sys"])
    response = _change(client, people["grid"], role=role)
    assert response.status_code == 200
    assert "安全管理员申请" in response.content.decode()
    people["grid"].refresh_from_db()
    assert people["grid"].role == Role.GRID_WORKER


def test_system_admin_changes_working_staff(client, people, tree):
    client.force_login(people["sys"])
    response = _change(client, people["grid"], role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a.pk)
    assert response.status_code == 302
    people["grid"].refresh_from_db()
    assert (people["grid"].role, people["grid"].jurisdiction) == (Role.VILLAGE_STAFF, tree.village_a)
    assert AuditEntry.objects.filter(action="data.update", object_id=str(people["grid"].pk)).exists()


def test_system_admin_cannot_change_own_role(client, people):
    client.force_login(people["sys"])
    page = client.get(f"/admin/accounts/user/{people['sys'].pk}/change/").content.decode()
    assert 'name="role"' not in page  # read-only
    response = _change(client, people["sys"], role=Role.GRID_WORKER)
    assert response.status_code == 403
    people["sys"].refresh_from_db()
    assert people["sys"].role == Role.SYSTEM_ADMIN
    assert AuditEntry.objects.filter(actor_id=people["sys"].pk, detail__rule="own_account").exists()


@pytest.mark.parametrize("target", ["auditor", "sec"])
def test_system_admin_cannot_reset_an_administrators_password(client, people, target):
    client.force_login(people["sys"])
    account = people[target]
    url = f"/admin/accounts/user/{account.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"})
    assert response.status_code == 403
    account.refresh_from_db()
    assert account.check_password(DEFAULT_PASSWORD)
    assert AuditEntry.objects.filter(actor_id=people["sys"].pk, detail__rule="admin_account").count() == 2


def test_system_admin_cannot_change_an_administrators_role_or_deactivate_them(client, people):
    client.force_login(people["sys"])
    auditor = people["auditor"]
    assert _change(client, auditor, role=Role.GRID_WORKER).status_code == 403
    client.post(
        "/admin/accounts/user/",
        {"action": "deactivate_selected", "_selected_action": [auditor.pk, people["grid"].pk]},
    )
    auditor.refresh_from_db()
    people["grid"].refresh_from_db()
    assert auditor.role == Role.AUDIT_ADMIN and auditor.is_active
    assert not people["grid"].is_active  # the working-staff account in the same action was switched off


def test_system_admin_resets_a_working_staff_password(client, people):
    client.force_login(people["sys"])
    response = client.post(
        f"/admin/accounts/user/{people['grid'].pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"},
    )
    assert response.status_code == 302
    people["grid"].refresh_from_db()
    assert people["grid"].check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="accounts.password_reset", object_id=str(people["grid"].pk)).exists()


def test_system_admin_cannot_reset_own_password_in_admin(client, people):
    client.force_login(people["sys"])
    response = client.post(
        f"/admin/accounts/user/{people['sys'].pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"},
    )
    assert response.status_code == 403
    people["sys"].refresh_from_db()
    assert people["sys"].check_password(DEFAULT_PASSWORD)


def test_superuser_flag_opens_no_account_admin(client, people):
    people["sys"].is_superuser = True
    people["sys"].save()
    client.force_login(people["sys"])
    assert _add(client, Role.AUDIT_ADMIN).status_code == 200
    assert not User.objects.filter(username="newone").exists()
    root = UserFactory(username="root", role="", is_superuser=True, is_staff=True)
    client.force_login(root)
    refused = client.get("/admin/accounts/user/add/")
    assert refused.status_code == 302 and "/admin/login/" in refused["Location"]  # by role only (ADR 0059)
    _add(client, Role.AUDIT_ADMIN, username="other")
    assert not User.objects.filter(username="other").exists()


@pytest.mark.parametrize("who", ["sec", "auditor", "grid"])
def test_other_roles_cannot_enter_the_account_admin(client, people, who):
    client.force_login(people[who])
    _add(client, Role.AUDIT_ADMIN)
    assert not User.objects.filter(username="newone").exists()
    response = client.post(
        f"/admin/accounts/user/{people['sys'].pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "set_usable_password": "true"},
    )
    assert response.status_code in (302, 403)
    people["sys"].refresh_from_db()
    assert people["sys"].check_password(DEFAULT_PASSWORD)
