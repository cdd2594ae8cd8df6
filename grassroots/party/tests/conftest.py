from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import pytest

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.regions.models import Node
from grassroots.testing.factories import UserFactory

from .support import branch_at


@dataclass
class People:
    grid_a: User
    village_a: User
    village_b: User
    street: User
    window: User


@pytest.fixture
def people(tree: Any) -> People:
    def user(name: str, role: str, node: Node) -> User:
        return cast(User, UserFactory(username=name, role=role, jurisdiction=node, display_name=name))

    return People(
        grid_a=user("party_grid_a", Role.GRID_WORKER, tree.grid_a1),
        village_a=user("party_village_a", Role.VILLAGE_STAFF, tree.village_a),
        village_b=user("party_village_b", Role.VILLAGE_STAFF, tree.village_b),
        street=user("party_street", Role.SUBDISTRICT_STAFF, tree.subdistrict),
        window=user("party_window", Role.WINDOW_STAFF, tree.subdistrict),
    )


@pytest.fixture
def branches(tree: Any) -> dict[str, Any]:
    return {"a": branch_at(tree.village_a), "b": branch_at(tree.village_b)}
