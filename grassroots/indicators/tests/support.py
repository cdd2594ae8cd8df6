"""Shared setup of the indicator tests: the small tree's people and a ledger
(also used by the access world)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.actors import SYSTEM
from grassroots.regions.models import Node
from grassroots.testing.factories import SmallTree, UserFactory

from ..models import Indicator, Ledger
from ..services.defaults import indicators_seed_defaults
from ..services.values import values_set

MONTH = datetime.date(2023, 9, 1)
FIRST = "规上工业总产值"


@dataclass
class People:
    station: User  # the subdistrict's economic-management station, enters figures
    reviewer: User  # a second subdistrict officer, reviews and locks
    village_a: User
    village_b: User
    grid_a: User
    window: User


def make_people(tree: SmallTree) -> People:
    def user(name: str, role: str, node: Node) -> User:
        return cast(User, UserFactory(username=name, role=role, jurisdiction=node, display_name=name))

    return People(
        station=user("ind_station", Role.SUBDISTRICT_STAFF, tree.subdistrict),
        reviewer=user("ind_reviewer", Role.SUBDISTRICT_STAFF, tree.subdistrict),
        village_a=user("ind_village_a", Role.VILLAGE_STAFF, tree.village_a),
        village_b=user("ind_village_b", Role.VILLAGE_STAFF, tree.village_b),
        grid_a=user("ind_grid_a", Role.GRID_WORKER, tree.grid_a1),
        window=user("ind_window", Role.WINDOW_STAFF, tree.subdistrict),
    )


def indicator(name: str = FIRST) -> Indicator:
    indicators_seed_defaults()
    return Indicator.objects.get(name=name)


def ledger_at(node: Node, month: datetime.date = MONTH, amount: str = "56") -> Ledger:
    """A draft ledger of `node` with the first indicator's figure."""
    return values_set(actor=SYSTEM, node=node, month=month, values={indicator(): Decimal(amount)})
