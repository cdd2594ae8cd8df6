"""The access matrix (issue 11, ADR 0030): every URL pattern of the URL
configuration, pages and /api/v1/, has a declared policy, and each policy
holds for anonymous visitors, every role without the capability, and every
role with it on its own branch's object (200) and on the other branch's (404).
The world is built once for the module; each test runs in a savepoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction

from grassroots.testing.access import Clients, check_access, login_clients, url_patterns
from grassroots.testing.access_world import World, build_world

from .access_policy import POLICY

PATTERNS = url_patterns()


@pytest.fixture(scope="module")
def matrix(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[tuple[World, Clients]]:
    # Module-scoped data inside one outer transaction; every test's own
    # transaction nests as a savepoint and the whole world rolls back at the end.
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        world = build_world()
        clients = login_clients(world)
        yield world, clients
        transaction.set_rollback(True)


def test_every_url_pattern_has_a_policy() -> None:
    missing = sorted(pattern.key for pattern in PATTERNS if pattern.key not in POLICY)
    assert not missing, "URL patterns without an access policy in access_policy.py: " + ", ".join(missing)


def test_every_policy_names_a_url_pattern() -> None:
    keys = {pattern.key for pattern in PATTERNS}
    stale = sorted(key for key in POLICY if key not in keys)
    assert not stale, "access policies for URL patterns that no longer exist: " + ", ".join(stale)


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(POLICY))
def test_access(key: str, matrix: tuple[World, Clients]) -> None:
    world, clients = matrix
    problems = check_access(world, clients, key, POLICY[key])
    assert not problems, f"{key}:\n" + "\n".join(problems)
