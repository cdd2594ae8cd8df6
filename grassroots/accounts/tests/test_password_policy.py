"""Password policy (ADR 0059): length, the Chinese common list, no reuse of
the last five, expiry after PASSWORD_MAX_AGE_DAYS and the forced change of a
password an administrator set."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts import services
from grassroots.accounts.models import PasswordHistory, User
from grassroots.accounts.policy.passwords import password_change_required, password_history_record
from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.testing.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:password-change")
HOME = reverse("accounts:home")


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


@pytest.mark.parametrize(
    "password", ["123456qwe", "woaini1314", "a1b2c3d4", "zhangsan123", "Woaini@1314", "Zhangsan_123", "A1b2-C3d4"]
)
def test_chinese_common_passwords_are_refused(password):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert "常见弱密码" in _messages(caught)


def test_django_common_list_still_applies():
    with pytest.raises(ValidationError) as caught:
        validate_password("Password123")
    assert any(error.code == "password_too_common" for error in caught.value.error_list)


def test_minimum_length_is_ten_by_default(settings):
    assert settings.PASSWORD_MIN_LENGTH == 10
    with pytest.raises(ValidationError):
        validate_password("Xk7#mPq2z")  # 9 characters, 4 classes
    validate_password("Xk7#mPq2zw")


def test_good_password_passes():
    validate_password("Hutian-river-88")


def _change_own(client, old: str, new: str):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new})


def test_the_last_five_passwords_cannot_be_reused(client, tree):
    user = UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    client.force_login(user)
    passwords = [DEFAULT_PASSWORD, *(f"Fresh-pass-{n}x" for n in range(1, 6))]
    for old, new in itertools.pairwise(passwords):
        assert _change_own(client, old, new).status_code == 302
    user.refresh_from_db()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    current = passwords[-1]
    for reused in passwords[1:]:  # the last five, the current one included
        response = _change_own(client, current, reused)
        assert response.status_code == 200
        assert "最近 5 次" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(current)
    # The sixth-last has left the history: it may be chosen again.
    assert _change_own(client, current, DEFAULT_PASSWORD).status_code == 302


def test_own_change_is_recorded_and_audited(client, tree):
    user = UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    before = user.password_changed_at
    client.force_login(user)
    assert _change_own(client, DEFAULT_PASSWORD, "Brand-new-pass-7").status_code == 302
    user.refresh_from_db()
    assert user.password_changed_at > before and not user.must_change_password
    assert AuditEntry.objects.filter(action="accounts.password_change_own", object_id=str(user.pk)).exists()


def test_expired_password_only_reaches_the_change_page(client, tree, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = UserFactory(role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client.force_login(user)
    for path in (HOME, reverse("matters:queue"), "/notifications/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == CHANGE, path
    fragment = client.get(HOME, headers={"HX-Request": "true"})
    assert fragment.status_code == 204 and fragment["HX-Redirect"] == CHANGE
    page = client.get(CHANGE)
    assert page.status_code == 200
    assert "超过 90 天未修改" in page.content.decode()
    # The API answers a problem document instead of a redirect.
    api = client.get(reverse("api:matter-list"))
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"
    assert "修改密码" in api.json()["detail"]
    assert _change_own(client, DEFAULT_PASSWORD, "Renewed-pass-90").status_code == 302
    assert client.get(HOME).status_code == 200


def test_a_password_inside_its_age_is_not_expired(tree, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = UserFactory(role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a)
    user.password_changed_at = timezone.now() - timedelta(days=89)
    assert password_change_required(user) is None
    settings.PASSWORD_MAX_AGE_DAYS = 0  # expiry switched off
    user.password_changed_at = timezone.now() - timedelta(days=900)
    assert password_change_required(user) is None


def test_logout_stays_reachable_with_an_expired_password(client, tree):
    user = UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1, must_change_password=True)
    client.force_login(user)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code in (200, 302) and "_auth_user_id" not in client.session


def _sysadmin(tree):
    return UserFactory(role=Role.SYSTEM_ADMIN, jurisdiction=tree.subdistrict, is_staff=True)


def test_account_created_by_administrator_must_change_at_first_login(client, tree):
    account = services.account_create(
        actor=_sysadmin(tree), username="newgrid", password="Initial-pass-42", role=Role.GRID_WORKER
    )
    assert account.must_change_password
    response = client.post(reverse("accounts:login"), {"username": "newgrid", "password": "Initial-pass-42"})
    assert response.status_code == 302
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"] == CHANGE
    assert "管理员设置的初始密码" in client.get(CHANGE).content.decode()
    # The initial password itself cannot be kept.
    assert _change_own(client, "Initial-pass-42", "Initial-pass-42").status_code == 200
    assert _change_own(client, "Initial-pass-42", "My-own-pass-42").status_code == 302
    account.refresh_from_db()
    assert not account.must_change_password
    assert client.get(HOME).status_code == 200


def test_password_reset_by_administrator_must_be_changed(client, tree):
    account = UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    assert not account.must_change_password
    services.account_set_password(actor=_sysadmin(tree), account=account, password="Reset-by-admin-9")
    account.refresh_from_db()
    assert account.must_change_password
    assert AuditEntry.objects.filter(action="accounts.password_reset", object_id=str(account.pk)).exists()
    client.force_login(account)
    assert client.get(HOME)["Location"] == CHANGE


def test_administrator_reset_cannot_reuse_a_recent_password(tree):
    from grassroots.accounts.errors import AccountInvalid

    account = UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    password_history_record(account=account, by_administrator=False)
    with pytest.raises(AccountInvalid) as caught:
        services.account_set_password(actor=_sysadmin(tree), account=account, password=DEFAULT_PASSWORD)
    assert "最近 5 次" in caught.value.message


def test_bootstrapped_administrator_must_change_the_operator_password(db):
    account = services.administrator_bootstrap(username="sec9", password="Operator-set-99", role=Role.SECURITY_ADMIN)
    assert account.must_change_password


def test_admin_site_password_page_is_the_sites_own(client, tree):
    client.force_login(_sysadmin(tree))
    response = client.get("/admin/password_change/")
    assert response.status_code == 302 and response["Location"] == CHANGE


def test_history_keeps_hashes_never_the_password(tree):
    account = UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    password_history_record(account=account, by_administrator=False)
    stored = PasswordHistory.objects.get(user=account).password
    assert DEFAULT_PASSWORD not in stored and stored == account.password
