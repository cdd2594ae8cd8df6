from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured

pytestmark = pytest.mark.django_db


def test_security_headers_on_pages(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_csrf_enforced_on_login(tree):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_htmx_sends_csrf_header(client, tree, make_user):
    from grassroots.accounts.roles import Role

    client.force_login(make_user(Role.VILLAGE_STAFF, tree.village_a))
    html = client.get("/accounts/home/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in html


def test_base_settings_fail_fast_without_secret(monkeypatch):
    import config.settings.base as base

    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured):
        importlib.reload(base)


def test_production_settings_enable_hsts(monkeypatch):
    import config.settings.base as base

    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.delenv("GRASSROOTS_HTTPS", raising=False)
    reloaded = importlib.reload(base)
    assert reloaded.SECURE_HSTS_SECONDS >= 31536000
    assert reloaded.SESSION_COOKIE_SECURE and reloaded.CSRF_COOKIE_SECURE


def test_healthz_touches_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.content == b"ok"


def test_readyz_reports_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readyz_reports_unreachable_redis(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("error")
