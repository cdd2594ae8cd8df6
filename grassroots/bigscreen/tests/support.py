"""Shared setup of the big-screen tests: the small tree's people and matters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.testing.factories import SmallTree, UserFactory


@dataclass
class People:
    street: User  # subdistrict staff: opens the screen, issues tokens
    street_b: User  # subdistrict staff posted at village b
    village_a: User  # village staff: no screen
    mediator: User


def make_people(tree: SmallTree) -> People:
    def user(name: str, role: str, node: object) -> User:
        return cast(User, UserFactory(username=name, role=role, jurisdiction=node, display_name=name))

    return People(
        street=user("scr_street", Role.SUBDISTRICT_STAFF, tree.subdistrict),
        street_b=user("scr_street_b", Role.SUBDISTRICT_STAFF, tree.village_b),
        village_a=user("scr_village_a", Role.VILLAGE_STAFF, tree.village_a),
        mediator=user("scr_mediator", Role.MEDIATOR, tree.subdistrict),
    )
