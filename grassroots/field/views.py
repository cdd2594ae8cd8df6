"""The field app's pages (ADR 0055): the app shell a grid worker installs on
the phone, its web manifest and its service worker. The shell carries no
personal data; everything the worker sees comes from the snapshot API and is
kept in IndexedDB under a name that includes the user id and a random salt
made once per login (the session is cycled at login, so the salt is too)."""

from __future__ import annotations

import hashlib
import json
import secrets
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

from grassroots.accounts.roles import Capability

SALT_SESSION_KEY = "field_storage_salt"
SCOPE = "/field/"

# What the service worker precaches so that the shell opens with no network.
PRECACHED_STATIC = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
    "vendor/idb/idb.umd.js",
    "field/field.css",
    "field/store.js",
    "field/photos.js",
    "field/outbox.js",
    "field/screens.js",
    "field/app.js",
    "field/logout.js",
    "field/icons/icon-192.png",
    "field/icons/icon-512.png",
)
WORKBOX_MODULES = ("workbox-core", "workbox-precaching", "workbox-routing", "workbox-strategies")


def _may_use(user: object) -> bool:
    return bool(getattr(user, "is_superuser", False) or user.can(Capability.USE_FIELD_APP))  # type: ignore[attr-defined]


@require_GET
def shell(request: HttpRequest) -> HttpResponse:
    """The app shell. Data arrive through the API; the page only says whose
    storage to open and where the endpoints are."""
    user = request.user
    if not _may_use(user):
        raise PermissionDenied
    salt = request.session.get(SALT_SESSION_KEY)
    if not salt:
        salt = secrets.token_hex(12)
        request.session[SALT_SESSION_KEY] = salt
    config = {
        "user": user.pk,
        "name": str(user),
        "salt": salt,
        "snapshot": reverse("api:field-snapshot"),
        "sync": reverse("api:field-sync"),
        "items": reverse("api:field-item-list"),
        "resolve": reverse("api:field-item-resolve", kwargs={"key": "KEY"}),
        "logout": reverse("accounts:logout"),
        "login": reverse("accounts:login") + "?next=" + SCOPE,
        "home": reverse("accounts:home"),
        "sw": reverse("field:sw"),
        "scope": SCOPE,
    }
    response = render(request, "field/shell.html", {"config": config})
    # The service worker keeps its own copy for offline opening; the HTTP
    # cache must not hand one user's shell to the next.
    response["Cache-Control"] = "private, no-cache"
    return response


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web manifest (public: browsers fetch it without cookies)."""
    data = {
        "name": "网格员助手",
        "short_name": "网格员助手",
        "description": "网格员入户走访、事项上报、地址核实、安全检查与关爱走访,无网络也能记录。",
        "lang": "zh-CN",
        "start_url": SCOPE,
        "scope": SCOPE,
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f4f6f9",
        "theme_color": "#1f4e8c",
        "icons": [
            {"src": static("field/icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("field/icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static("field/icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


def _revision(name: str) -> str:
    path = finders.find(name)
    if path:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    with staticfiles_storage.open(name) as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:16]


@lru_cache(maxsize=1)
def _precache_manifest_cached() -> str:
    return _precache_manifest_build()


def _precache_manifest() -> str:
    # Static files do not change under a running production server; in
    # development they do, and a stale revision would keep an old script.
    return _precache_manifest_build() if settings.DEBUG else _precache_manifest_cached()


def _precache_manifest_build() -> str:
    entries = [{"url": static(name), "revision": _revision(name)} for name in PRECACHED_STATIC]
    return json.dumps(entries)


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, built on Workbox served from our own static files
    (no CDN). Public like any script; it holds no personal data."""
    context = {
        "precache": _precache_manifest(),
        "workbox_sw": json.dumps(static("vendor/workbox/workbox-sw.js")),
        "workbox_prefix": json.dumps(static("vendor/workbox/workbox-sw.js").rsplit("/", 1)[0] + "/"),
        "shell_url": json.dumps(SCOPE),
    }
    response = render(request, "field/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = SCOPE
    # Browsers check for a new worker on every navigation; never serve a stale one.
    response["Cache-Control"] = "no-cache"
    return response
