"""The access matrix (ADR 0030): every URL pattern of the URL configuration
has an `Access` entry saying who may use it; `check_access` drives one entry
through anonymous, every role without the capability, every role with it on
its own branch's object (200) and on the other branch's object (404), and
asserts that a refused POST wrote nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from grassroots.accounts.roles import ROLE_CAPABILITIES, Role

from .access_world import World

ANONYMOUS = "anonymous"
Kwargs = Callable[[World, str], dict[str, Any]]
# Tables a refused request may write: the denial's audit entry and the session.
DENY_WRITES_ALLOWED = ("core_auditentry", "django_session")
_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b[^\"']*[\"']?(\w+)", re.IGNORECASE)


@dataclass(frozen=True)
class Access:
    """Who may use one URL name. `roles` hold the capability (GET answers
    `ok`, a POST is not refused); every other role is refused with `denied`;
    anonymous visitors go to the login page (pages) or get 401/403 (API)
    unless `public`. With `scoped`, an allowed role's request about the other
    branch's object answers 404 and writes nothing."""

    roles: frozenset[str]
    methods: tuple[str, ...] = ("GET",)
    kwargs: Kwargs | None = None
    public: bool = False
    scoped: bool = True
    denied: int = 403
    ok: int | None = 200
    heavy: bool = False  # renders a PDF or export: one allowed role is enough for the 200
    query: str = ""
    admin: bool = False  # Django admin: refusals redirect to the admin login
    path: str = ""  # for an unnamed pattern: the URL, formatted with the kwargs


def roles_with(*capabilities: str) -> frozenset[str]:
    """Roles holding any of `capabilities`, read from roles.py (ADR 0009)."""
    return frozenset(role for role, caps in ROLE_CAPABILITIES.items() if caps & set(capabilities))


ALL_ROLES = frozenset(Role)
NO_ROLES: frozenset[str] = frozenset()


def kw(**spec: str | int) -> Kwargs:
    """URL kwargs from the world: a kind names an object (its pk, or its
    `attr` after a dot: "matter.tracking_code"); "=text" is a literal."""

    def build(world: World, side: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, value in spec.items():
            if isinstance(value, int):
                values[key] = value
            elif value.startswith("="):
                values[key] = value[1:]
            else:
                kind, _, attr = value.partition(".")
                objects = world.objects[kind]
                obj = objects.get(side, objects["a"])
                values[key] = getattr(obj, attr or "pk")
        return values

    return build


# --- the URL configuration ----------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # the namespaced URL name, or the route for an unnamed pattern
    route: str
    name: str | None


def url_patterns() -> list[Pattern]:
    """Every pattern of the root URL configuration, one per name (DRF's
    format-suffix twins share their route's name)."""
    found: dict[str, Pattern] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Pattern]:
        for item in patterns:
            if isinstance(item, URLResolver):
                inner = f"{namespace}:{item.namespace}" if namespace and item.namespace else item.namespace or namespace
                yield from walk(item.url_patterns, prefix + str(item.pattern), inner)
            elif isinstance(item, URLPattern):
                route = prefix + str(item.pattern)
                if item.name:
                    qualified = f"{namespace}:{item.name}" if namespace else item.name
                    yield Pattern(key=qualified, route=route, name=qualified)
                else:
                    yield Pattern(key=route, route=route, name=None)

    for pattern in walk(get_resolver().url_patterns, "", ""):
        found.setdefault(pattern.key, pattern)
    return list(found.values())


# --- running one entry --------------------------------------------------------


@dataclass
class Clients:
    anonymous: Client
    users: dict[str, dict[str, Client]]  # role → place ("top", "a", "b") → logged-in client


def login_clients(world: World) -> Clients:
    users: dict[str, dict[str, Client]] = {}
    for role, places in world.users.items():
        users[role] = {}
        for place, user in places.items():
            client = Client()
            client.force_login(user)
            users[role][place] = client
    return Clients(anonymous=Client(), users=users)


def _writes(queries: list[dict[str, Any]]) -> list[str]:
    written = []
    for query in queries:
        match = _WRITE.match(query["sql"])
        if match and match.group(2).lower() not in DENY_WRITES_ALLOWED:
            written.append(f"{match.group(1).upper()} {match.group(2)}")
    return written


def _call(client: Client, method: str, url: str) -> tuple[int, str, list[str], str]:
    """Status, Location, rows written, and the error if the view raised."""
    with CaptureQueriesContext(connection) as queries:
        try:
            response = client.generic(method, url)
        except Exception as exc:
            return 500, "", [], f"{type(exc).__name__}: {exc}"
    return response.status_code, response.get("Location", ""), _writes(queries.captured_queries), ""


def check_access(world: World, clients: Clients, key: str, rule: Access) -> list[str]:
    """Every way `key` disagrees with `rule`, as readable lines."""
    problems: list[str] = []
    is_api = key.startswith("api:")
    login = reverse("admin:login") if rule.admin else reverse("accounts:login")

    def url_for(side: str) -> str:
        kwargs = rule.kwargs(world, side) if rule.kwargs else {}
        target = rule.path.format(**kwargs) if rule.path else reverse(key, kwargs=kwargs)
        return target + (f"?{rule.query}" if rule.query else "")

    def expect(who: str, method: str, url: str, client: Client, wanted: set[int] | None, *, refused: bool) -> None:
        status, location, written, error = _call(client, method, url)
        if status >= 500:
            problems.append(f"{method} {url} as {who}: {status} {error}")
            return
        if refused and rule.admin and status == 302 and location.startswith(("/admin/", login)):
            status = 403  # the admin site answers a refusal with its login page or its index
        if refused and not rule.public and status == 302 and location.startswith(login) and who != ANONYMOUS:
            problems.append(f"{method} {url} as {who}: sent to the login page")
        if wanted is not None and status not in wanted:
            problems.append(f"{method} {url} as {who}: expected {sorted(wanted)}, got {status} {location}")
        if refused and method != "GET" and written:
            problems.append(f"{method} {url} as {who}: refused but wrote {written}")

    own = url_for("a")
    for method in rule.methods:
        anonymous = clients.anonymous
        if rule.public:
            status, location, _written, error = _call(anonymous, method, own)
            if status >= 500 or (status == 302 and location.startswith(login)):
                problems.append(f"{method} {own} as {ANONYMOUS}: public but {status} {location} {error}")
        else:
            status, location, written, error = _call(anonymous, method, own)
            logins = (login, reverse("accounts:login"))
            fine = status in (401, 403) if is_api else status == 302 and location.startswith(logins)
            if not fine:
                problems.append(f"{method} {own} as {ANONYMOUS}: expected the login, got {status} {location} {error}")
            if method != "GET" and written:
                problems.append(f"{method} {own} as {ANONYMOUS}: refused but wrote {written}")
        for refused_role in Role:
            if refused_role in rule.roles or rule.public:
                continue
            top = clients.users[refused_role]["top"]
            expect(f"{refused_role}@top", method, own, top, {rule.denied}, refused=True)
        tried_ok = False
        for role in sorted(rule.roles):
            if rule.public:
                break
            if rule.scoped:
                other = url_for("b")
                expect(f"{role}@a on b", method, other, clients.users[role]["a"], {404}, refused=True)
            if method == "GET" and rule.ok is not None and not (rule.heavy and tried_ok):
                place = "a" if rule.scoped else "top"
                expect(f"{role}@{place}", method, own, clients.users[role][place], {rule.ok}, refused=False)
                tried_ok = True
    return problems
