from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from grassroots.accounts.middleware import LOGIN_AT_KEY
from grassroots.accounts.roles import Role
from grassroots.core.models import AuditEntry
from grassroots.testing.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password=DEFAULT_PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_page_is_chinese_and_public(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "工作人员登录" in text
    assert 'lang="zh-Hans"' in text


def test_login_success_audited_and_redirects_home(client, tree, make_user):
    user = make_user(Role.GRID_WORKER, tree.grid_a1)
    response = _login(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    entry = AuditEntry.objects.filter(action="auth.login").last()
    assert entry is not None and entry.actor_id == user.pk and entry.ip == "127.0.0.1"


def test_login_rotates_session_key(client, tree, make_user):
    user = make_user(Role.GRID_WORKER, tree.grid_a1)
    client.get(reverse("accounts:login"))
    client.session.save()
    before = client.session.session_key
    _login(client, user.username)
    assert client.session.session_key != before


def test_wrong_password_shows_chinese_error_and_is_audited(client, tree, make_user):
    user = make_user(Role.GRID_WORKER, tree.grid_a1)
    response = _login(client, user.username, "wrong-Password-1")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    failed = AuditEntry.objects.filter(action="auth.login_failed").last()
    assert failed is not None and failed.result == "failure" and failed.detail["username"] == user.username
    assert "_auth_user_id" not in client.session


def test_lockout_after_five_failures(client, tree, make_user):
    user = make_user(Role.GRID_WORKER, tree.grid_a1)
    for _ in range(5):
        _login(client, user.username, "wrong-Password-1")
    response = _login(client, user.username)  # right password, still locked
    assert response.status_code == 429
    assert "账号已临时锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.lockout", result="denied").exists()


def test_lockout_is_per_account_not_per_office_ip(client, tree, make_user):
    victim = make_user(Role.GRID_WORKER, tree.grid_a1)
    colleague = make_user(Role.GRID_WORKER, tree.grid_a2)
    for _ in range(5):
        _login(client, victim.username, "wrong-Password-1")
    response = _login(client, colleague.username)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)  # logged in, despite the office's failures


def test_logout_requires_post_and_is_audited(client, tree, make_user):
    user = make_user(Role.VILLAGE_STAFF, tree.village_a)
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 200
    assert "您已安全退出" in response.content.decode()
    assert AuditEntry.objects.filter(action="auth.logout", actor_id=user.pk).exists()


@pytest.mark.parametrize("path", ["/accounts/home/", "/regions/", "/regions/residents/", "/audit/", "/notifications/"])
def test_pages_require_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_public_pages_do_not_require_login(client, tree):
    assert client.get("/").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_absolute_session_timeout(client, tree, make_user, settings):
    user = make_user(Role.VILLAGE_STAFF, tree.village_a)
    _login(client, user.username)
    assert client.get(reverse("accounts:home")).status_code == 200
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 5
    session.save()
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert response["Location"].startswith("/accounts/login/")


def test_idle_timeout_is_thirty_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


def test_idle_session_expires(client, tree, make_user):
    user = make_user(Role.VILLAGE_STAFF, tree.village_a)
    _login(client, user.username)
    session = client.session
    session.set_expiry(-1)  # as if 30 idle minutes had passed
    session.save()
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Zq8wertYu7", True),
        ("abcdefgh1!", True),
        ("Zq8wertYu", False),  # nine characters: the minimum is ten (ADR 0059)
        ("abcdefgh1", False),
        ("ABCDEFGH", False),
        ("Ab1!", False),
        ("12345678", False),
    ],
)
def test_password_rules(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_password_error_is_chinese():
    with pytest.raises(ValidationError) as excinfo:
        validate_password("abcdefgh1")
    assert any("至少 3 类" in m for m in excinfo.value.messages)


@override_settings(RATELIMIT_ENABLE=True)
def test_login_rate_limited_per_ip(client, tree, make_user):
    for i in range(30):
        client.post(reverse("accounts:login"), {"username": f"nobody{i}", "password": "x"})
    response = client.post(reverse("accounts:login"), {"username": "nobody-else", "password": "x"})
    assert response.status_code == 429
    assert "登录尝试过于频繁" in response.content.decode()
