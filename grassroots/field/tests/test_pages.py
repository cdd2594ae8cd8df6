"""The field app's pages (ADR 0055): the shell only for users with the
capability, the storage salt per login, the manifest and the service worker
public and free of personal data."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from grassroots.accounts.roles import Role
from grassroots.testing.factories import UserFactory, build_small_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_small_tree()


def _config(response):
    html = response.content.decode()
    start = html.index('<script id="field-config" type="application/json">') + len(
        '<script id="field-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_grid_worker_gets_the_shell_with_a_salt_per_login(client, tree):
    worker = UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1)
    client.force_login(worker)
    response = client.get(reverse("field:shell"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    config = _config(response)
    assert config["user"] == worker.pk
    assert len(config["salt"]) == 24
    assert config["sw"] == "/field/sw.js" and config["scope"] == "/field/"
    # The same session keeps its salt; a new login gets another one.
    assert _config(client.get(reverse("field:shell")))["salt"] == config["salt"]
    client.logout()
    client.force_login(worker)
    assert _config(client.get(reverse("field:shell")))["salt"] != config["salt"]
    # No inline script: the only <script> without src is the JSON data block.
    html = response.content.decode()
    assert html.count("<script>") == 0
    assert "data-field-logout" in html


def test_shell_needs_login_and_the_capability(client, tree):
    response = client.get(reverse("field:shell"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory(role=Role.WINDOW_STAFF, jurisdiction=tree.subdistrict))
    assert client.get(reverse("field:shell")).status_code == 403


def test_shell_refuses_post(client, tree):
    client.force_login(UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1))
    assert client.post(reverse("field:shell")).status_code == 405


def test_manifest_is_public_and_installable(client):
    response = client.get(reverse("field:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "网格员助手"
    assert data["start_url"] == "/field/" and data["scope"] == "/field/" and data["display"] == "standalone"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_service_worker_scope_and_precache(client):
    response = client.get(reverse("field:sw"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/field/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert 'importScripts("/static/vendor/workbox/workbox-sw.js")' in body
    assert 'modulePathPrefix: "/static/vendor/workbox/"' in body
    assert "http://" not in body and "https://" not in body  # nothing from another origin (no CDN)
    start = body.index("precacheAndRoute(") + len("precacheAndRoute(")
    entries = json.loads(body[start : body.index("], {", start) + 1])
    urls = {entry["url"] for entry in entries}
    assert "/static/field/app.js" in urls and "/static/vendor/idb/idb.umd.js" in urls
    assert all(len(entry["revision"]) == 16 for entry in entries)
    for url in urls:
        assert finders.find(url.removeprefix("/static/")), url


def test_nav_links_the_field_app_for_grid_workers_only(client, tree):
    client.force_login(UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1))
    labels = [item["label"] for item in client.get(reverse("accounts:home")).context["nav_items"]]
    assert "网格员助手" in labels
    client.force_login(UserFactory(role=Role.WINDOW_STAFF, jurisdiction=tree.subdistrict))
    labels = [item["label"] for item in client.get(reverse("accounts:home")).context["nav_items"]]
    assert "网格员助手" not in labels
