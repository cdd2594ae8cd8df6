from __future__ import annotations

import pytest

from grassroots.accounts.roles import Role
from grassroots.testing.factories import UserFactory


@pytest.fixture
def staff_a(tree):
    return UserFactory(role=Role.VILLAGE_STAFF, jurisdiction=tree.village_a, username="village_a")


@pytest.fixture
def staff_b(tree):
    return UserFactory(role=Role.VILLAGE_STAFF, jurisdiction=tree.village_b, username="village_b")


@pytest.fixture
def street(tree):
    return UserFactory(role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, username="street_staff")


@pytest.fixture
def grid_worker(tree):
    return UserFactory(role=Role.GRID_WORKER, jurisdiction=tree.grid_a1, username="grid_a1")
