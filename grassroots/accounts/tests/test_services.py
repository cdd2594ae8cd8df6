"""Account services: 三权分立 rules for every account write (ADR 0025)."""

from __future__ import annotations

import pytest

from grassroots.accounts import services
from grassroots.accounts.errors import AccountInvalid, AccountRuleDenied, GrantConflict
from grassroots.accounts.models import RoleGrantRequest, User
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
        "sec1": UserFactory(username="sec1", role=Role.SECURITY_ADMIN, jurisdiction=sub),
        "sec2": UserFactory(username="sec2", role=Role.SECURITY_ADMIN, jurisdiction=sub),
        "auditor": UserFactory(username="auditor", role=Role.AUDIT_ADMIN, jurisdiction=sub),
        "grid": UserFactory(username="grid", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1),
    }


def _denials(actor: User, rule: str) -> int:
    return AuditEntry.objects.filter(actor_id=actor.pk, action="access.denied", detail__rule=rule).count()


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN])
def test_system_admin_cannot_create_administrators(people, role):
    with pytest.raises(AccountRuleDenied) as caught:
        services.account_create(actor=people["sys"], username="newadmin", password=NEW_PASSWORD, role=role)
    assert "安全管理员申请" in caught.value.message
    assert not User.objects.filter(username="newadmin").exists()
    assert _denials(people["sys"], "admin_role_needs_grant") == 1


def test_superuser_flag_is_no_backdoor(people):
    people["sys"].is_superuser = True
    people["sys"].save()
    with pytest.raises(AccountRuleDenied):
        services.account_create(actor=people["sys"], username="x", password=NEW_PASSWORD, role=Role.AUDIT_ADMIN)
    with pytest.raises(AccountRuleDenied):
        services.account_update(actor=people["sys"], account=people["grid"], role=Role.SECURITY_ADMIN)
    # and a superuser without the system administrator's role manages nothing
    UserFactory(username="root", role="", is_superuser=True)
    root = User.objects.get(username="root")
    with pytest.raises(AccountRuleDenied):
        services.account_create(actor=root, username="y", password=NEW_PASSWORD, role=Role.GRID_WORKER)


def test_system_admin_creates_and_changes_working_staff_audited(people, tree):
    account = services.account_create(
        actor=people["sys"],
        username="new1",
        password=NEW_PASSWORD,
        role=Role.VILLAGE_STAFF,
        jurisdiction=tree.village_a,
    )
    assert account.check_password(NEW_PASSWORD) and account.role == Role.VILLAGE_STAFF
    services.account_update(actor=people["sys"], account=account, role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    services.account_set_active(actor=people["sys"], account=account, active=False)
    services.account_set_password(actor=people["sys"], account=account, password="Third-pass-2028")
    account.refresh_from_db()
    assert (account.role, account.jurisdiction, account.is_active) == (Role.GRID_WORKER, tree.grid_a1, False)
    assert account.check_password("Third-pass-2028")
    actions = list(
        AuditEntry.objects.filter(object_type="accounts.User", object_id=str(account.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["data.create", "data.update", "accounts.deactivate", "accounts.password_reset"]
    assert "Third-pass" not in str(AuditEntry.objects.values_list("detail", flat=True))


@pytest.mark.parametrize("role", [Role.AUDIT_ADMIN, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN])
def test_system_admin_cannot_change_anyone_to_an_administrator_role(people, role):
    with pytest.raises(AccountRuleDenied):
        services.account_update(actor=people["sys"], account=people["grid"], role=role)
    people["grid"].refresh_from_db()
    assert people["grid"].role == Role.GRID_WORKER
    assert _denials(people["sys"], "admin_role_needs_grant") == 1


def test_system_admin_cannot_change_own_role_or_password(people):
    with pytest.raises(AccountRuleDenied):
        services.account_update(actor=people["sys"], account=people["sys"], role=Role.GRID_WORKER)
    with pytest.raises(AccountRuleDenied):
        services.account_set_password(actor=people["sys"], account=people["sys"], password=NEW_PASSWORD)
    people["sys"].refresh_from_db()
    assert people["sys"].role == Role.SYSTEM_ADMIN and people["sys"].check_password(DEFAULT_PASSWORD)
    assert _denials(people["sys"], "own_account") == 2


@pytest.mark.parametrize("target", ["auditor", "sec1"])
def test_system_admin_cannot_touch_administrator_accounts(people, target):
    account = people[target]
    with pytest.raises(AccountRuleDenied):
        services.account_set_password(actor=people["sys"], account=account, password=NEW_PASSWORD)
    with pytest.raises(AccountRuleDenied):
        services.account_set_active(actor=people["sys"], account=account, active=False)
    with pytest.raises(AccountRuleDenied):
        services.account_update(actor=people["sys"], account=account, role=Role.GRID_WORKER)
    account.refresh_from_db()
    assert account.check_password(DEFAULT_PASSWORD) and account.is_active and account.role != Role.GRID_WORKER
    assert _denials(people["sys"], "admin_account") == 3


@pytest.mark.parametrize("actor", ["sec1", "auditor", "grid"])
def test_only_the_system_admin_manages_working_staff(people, actor):
    with pytest.raises(AccountRuleDenied):
        services.account_set_password(
            actor=people[actor], account=people["grid"] if actor != "grid" else people["sys"], password=NEW_PASSWORD
        )


def test_grant_needs_a_second_security_admin(people):
    sec1, sec2, grid = people["sec1"], people["sec2"], people["grid"]
    grant = services.role_grant_request(actor=sec1, account=grid, role=Role.AUDIT_ADMIN, reason="审计岗位调整")
    grid.refresh_from_db()
    assert grid.role == Role.GRID_WORKER  # nothing happens until approved
    with pytest.raises(AccountRuleDenied) as caught:
        services.role_grant_approve(actor=sec1, grant=grant)
    assert "另一名安全管理员" in caught.value.message
    with pytest.raises(AccountRuleDenied):
        services.role_grant_approve(actor=people["sys"], grant=grant)
    grid.refresh_from_db()
    assert grid.role == Role.GRID_WORKER

    outcome = services.role_grant_approve(actor=sec2, grant=grant, note="同意")
    grid.refresh_from_db()
    assert grid.role == Role.AUDIT_ADMIN and grid.is_active
    # The old password (known to whoever set it) no longer works; the person sets their own.
    assert not grid.has_usable_password()
    assert outcome.set_password_path and outcome.set_password_path.startswith("/accounts/set-password/")
    grant.refresh_from_db()
    assert (grant.state, grant.requested_by, grant.decided_by) == ("approved", sec1, sec2)
    actions = list(AuditEntry.objects.filter(object_type="accounts.RoleGrantRequest").values_list("action", "actor_id"))
    assert actions == [("accounts.role_grant_request", sec1.pk), ("accounts.role_grant_approve", sec2.pk)]
    with pytest.raises(GrantConflict):
        services.role_grant_reject(actor=sec2, grant=grant)


def test_revoke_deactivates_and_nobody_decides_on_themselves(people):
    sec1, sec2, auditor = people["sec1"], people["sec2"], people["auditor"]
    with pytest.raises(AccountRuleDenied):
        services.role_grant_request(actor=sec1, account=sec1, role=Role.SYSTEM_ADMIN, reason="我自己")
    grant = services.role_grant_request(actor=sec1, account=auditor, role=Role.GRID_WORKER, reason="离岗")
    services.role_grant_approve(actor=sec2, grant=grant)
    auditor.refresh_from_db()
    assert auditor.role == Role.GRID_WORKER and not auditor.is_active
    # a request about sec2 cannot be decided by sec2 (a third one could)
    UserFactory(username="sec3", role=Role.SECURITY_ADMIN)
    grant = services.role_grant_request(actor=sec1, account=sec2, role=Role.GRID_WORKER, reason="调岗")
    with pytest.raises(AccountRuleDenied):
        services.role_grant_approve(actor=sec2, grant=grant)
    assert RoleGrantRequest.objects.get(pk=grant.pk).state == "pending"


def test_only_one_security_admin_is_told_plainly(people):
    people["sec2"].is_active = False
    people["sec2"].save()
    with pytest.raises(AccountInvalid) as caught:
        services.role_grant_request(actor=people["sec1"], account=people["grid"], role=Role.AUDIT_ADMIN, reason="x")
    assert "create_administrator" in caught.value.message
    assert not RoleGrantRequest.objects.exists()


def test_grant_requests_are_only_about_administrator_roles(people):
    with pytest.raises(AccountInvalid):
        services.role_grant_request(actor=people["sec1"], account=people["grid"], role=Role.VILLAGE_STAFF, reason="x")
    with pytest.raises(AccountRuleDenied):
        services.role_grant_request(actor=people["sys"], account=people["grid"], role=Role.AUDIT_ADMIN, reason="x")
    assert not RoleGrantRequest.objects.exists()


def test_approval_refused_when_the_role_changed_meanwhile(people):
    grant = services.role_grant_request(actor=people["sec1"], account=people["grid"], role=Role.AUDIT_ADMIN, reason="x")
    services.account_update(actor=people["sys"], account=people["grid"], role=Role.VILLAGE_STAFF)
    with pytest.raises(GrantConflict):
        services.role_grant_approve(actor=people["sec2"], grant=grant)
    people["grid"].refresh_from_db()
    assert people["grid"].role == Role.VILLAGE_STAFF


def test_bootstrap_command_creates_administrators(db, tree):
    from io import StringIO

    from django.core.management import call_command

    stdin = StringIO("Boot-strap-2026\n")
    import sys

    old, sys.stdin = sys.stdin, stdin
    try:
        call_command(
            "create_administrator",
            "--username",
            "sec9",
            "--role",
            "security_admin",
            "--password-stdin",
            stdout=StringIO(),
        )
    finally:
        sys.stdin = old
    account = User.objects.get(username="sec9")
    assert account.role == Role.SECURITY_ADMIN and account.check_password("Boot-strap-2026")
    entry = AuditEntry.objects.get(action="accounts.bootstrap_administrator")
    assert entry.actor_id is None and entry.object_id == str(account.pk)
