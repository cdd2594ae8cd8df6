"""Shared fixtures: a small deterministic tree and one user per role."""

from __future__ import annotations

import pytest

from grassroots.accounts.roles import Role
from grassroots.testing import factories


@pytest.fixture
def tree(db):
    return factories.build_small_tree()


@pytest.fixture
def served(tree):
    """Village staff at both villages of the small tree, so that every place
    in it is served (ADR 0021: a report to a place nobody handles is refused),
    as in an installation where each village handles its own reports."""
    return [
        factories.UserFactory(username=f"served_{tag}", role=Role.VILLAGE_STAFF, jurisdiction=village)
        for tag, village in (("a", tree.village_a), ("b", tree.village_b))
    ]


@pytest.fixture
def make_user(db):
    def _make(role: str = Role.GRID_WORKER, node=None, **kwargs):
        return factories.UserFactory(role=role, jurisdiction=node, **kwargs)

    return _make


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and calendar caches live in the cache; tests start clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _audit_head_file(settings, tmp_path_factory):
    """Signed audit heads go to a file per test, never into the checkout's var/."""
    settings.AUDIT_HEAD_FILE = tmp_path_factory.mktemp("audit") / "audit-heads.jsonl"
