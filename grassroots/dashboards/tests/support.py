"""A small world for the dashboard tests: the small tree's staff, matters in
several states (some late, one 3× late), dispute cases from two sources,
addresses (one verified), an inspection with a hazard, a relocation unit
signed and one not, a care list with one visit, and an indicator month with
last year's figure. Everything is reached through the owning apps' services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.addresses.models import Address
from grassroots.addresses.models import State as AddressState
from grassroots.addresses.tests.support import room
from grassroots.core.actors import SYSTEM
from grassroots.indicators.services.defaults import indicators_seed_defaults
from grassroots.indicators.services.values import values_set
from grassroots.indicators.tests.support import indicator
from grassroots.livelihood.tests.support import flagged, resident_at, visited
from grassroots.matters.models import Matter
from grassroots.matters.services.rollup_rebuild import matter_rollup_rebuild
from grassroots.matters.states import State
from grassroots.matters.tests import factories as mf
from grassroots.mediation.models import Source
from grassroots.mediation.services import cases
from grassroots.mediation.tests.conftest import case_input
from grassroots.relocation.models import Unit
from grassroots.relocation.states import State as UnitState
from grassroots.relocation.tests.support import advance_to, project_at, unit_at
from grassroots.safety.services.checklists import checklists_seed_defaults
from grassroots.safety.tests.support import inspect, premises_at, raised_hazard
from grassroots.testing.factories import SmallTree, UserFactory

D = datetime.date


@dataclass
class People:
    street: User
    village_a: User
    village_b: User
    grid_a1: User
    window: User
    mediator: User  # no dashboard


def make_people(tree: SmallTree) -> People:
    def user(name: str, role: str, node: Any) -> User:
        return cast(User, UserFactory(username=name, role=role, jurisdiction=node, display_name=name))

    return People(
        street=user("dash_street", Role.SUBDISTRICT_STAFF, tree.subdistrict),
        village_a=user("dash_village_a", Role.VILLAGE_STAFF, tree.village_a),
        village_b=user("dash_village_b", Role.VILLAGE_STAFF, tree.village_b),
        grid_a1=user("dash_grid_a1", Role.GRID_WORKER, tree.grid_a1),
        window=user("dash_window", Role.WINDOW_STAFF, None),
        mediator=user("dash_mediator", Role.MEDIATOR, tree.subdistrict),
    )


def late(matter: Matter, due: datetime.date, days: int = 5) -> Matter:
    """A due date in the past set behind the services' back (as time passing
    would), then the rollup rebuilt the way an operator would after such an edit."""
    Matter.objects.filter(pk=matter.pk).update(due_date=due, deadline_days=days)
    matter_rollup_rebuild()
    return matter


def seed_matters(tree: SmallTree, people: People) -> None:
    """Today is Mon 30 Nov 2026 (the frozen clock): village A has 4 open
    (2 late, 1 of them 3× late) and 1 closed; village B 2 open (1 late)."""
    va, vb = people.village_a, people.village_b
    mf.matter_in_state(State.REPORTED, node=tree.grid_a1, handler=va)
    mf.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=va)
    late(mf.matter_in_state(State.HANDLING, node=tree.grid_a2, handler=va), D(2026, 11, 27))
    late(mf.matter_in_state(State.ACCEPTED, node=tree.unit_a1, handler=va), D(2026, 11, 16))
    mf.matter_in_state(State.CLOSED, node=tree.grid_a1, handler=va)
    mf.matter_in_state(State.REPORTED, node=tree.grid_b1, handler=vb)
    late(mf.matter_in_state(State.ACCEPTED, node=tree.unit_b1, handler=vb), D(2026, 11, 26))


def seed_work(tree: SmallTree, people: People) -> dict[str, Any]:
    """The other apps' rows behind the dashboard's other panels."""
    checklists_seed_defaults()
    indicators_seed_defaults()
    made: dict[str, Any] = {}
    # Mediation: a police case and a petition in village A, a court case in village B.
    centre = cast(Any, SimpleNamespace(tree=tree))  # case_input reads only the tree
    cases.dispute_register(actor=people.street, data=case_input(centre))
    cases.dispute_register(
        actor=people.street, data=case_input(centre, source=Source.PETITION, source_reference="信访001")
    )
    cases.dispute_register(
        actor=people.street, data=case_input(centre, source=Source.COURT, source_reference="诉前001", node=tree.unit_b1)
    )
    # Addresses: two in grid A1, one of them verified; one in village B.
    first = room(tree.unit_a1, "101")
    room(tree.unit_a1, "102")
    room(tree.unit_b1, "201")
    Address.objects.filter(pk=first.pk).update(state=AddressState.VERIFIED)
    # Safety: premises in grid A1, inspected with one failing item, a hazard raised.
    premises = premises_at(tree.grid_a1)
    inspection = inspect(premises, actor=people.grid_a1, fail=1)
    made["hazard"] = raised_hazard(inspection)
    # Relocation: a project at the subdistrict, two units in village A, one signed.
    project = project_at(tree.subdistrict)
    signed = unit_at(project, tree.village_a, "A-001")
    unit_at(project, tree.village_a, "A-002")
    advance_to(signed, UnitState.SIGNED, on=D(2026, 11, 20))
    made["project"] = project
    # Care: an elder living alone in grid A1, visited this month.
    elder = resident_at(tree.unit_a1, "独居老人甲", D(1940, 3, 1))
    flagged(elder)
    visited(elder)
    # Indicators: the subdistrict's September 2026 against September 2025.
    for month, amount in [(D(2025, 9, 1), "50"), (D(2026, 9, 1), "56")]:
        values_set(actor=SYSTEM, node=tree.subdistrict, month=month, values={indicator(): Decimal(amount)})
    made["units"] = Unit.objects.count()
    return made
