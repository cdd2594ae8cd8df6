"""Shared setup of the livelihood tests: people of the small tree, residents
on the care lists, a flag, a visit and a health round (also used by the
access world)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.actors import SYSTEM
from grassroots.regions.models import Household, Node, Resident
from grassroots.testing.factories import SmallTree, UserFactory, make_id_number

from ..models import CareFlag, CareVisit, FlagKind, HealthRound, ListKind, Project, VisitKind
from ..services.flags import flag_set
from ..services.projects import MilestoneInput, ProjectInput, project_create
from ..services.visits import health_round_record, visit_record

_serial = itertools.count(100)


@dataclass
class People:
    grid_a: User
    grid_b: User
    village_a: User
    village_b: User
    street: User
    window: User


def make_people(tree: SmallTree) -> People:
    def user(name: str, role: str, node: Node) -> User:
        return cast(User, UserFactory(username=name, role=role, jurisdiction=node, display_name=name))

    return People(
        grid_a=user("care_grid_a", Role.GRID_WORKER, tree.grid_a1),
        grid_b=user("care_grid_b", Role.GRID_WORKER, tree.grid_b1),
        village_a=user("care_village_a", Role.VILLAGE_STAFF, tree.village_a),
        village_b=user("care_village_b", Role.VILLAGE_STAFF, tree.village_b),
        street=user("care_street", Role.SUBDISTRICT_STAFF, tree.subdistrict),
        window=user("care_window", Role.WINDOW_STAFF, tree.subdistrict),
    )


def resident_at(
    unit: Node,
    name: str,
    birth: datetime.date,
    *,
    head: bool = True,
    household: Household | None = None,
    phone: str = "",
    **fields: Any,
) -> Resident:
    n = next(_serial)
    if household is None:
        household = Household.objects.create(unit=unit, room=f"{n}号", address=f"{unit.name}{n}号")
    return Resident.objects.create(
        household=household,
        name=name,
        gender=Resident.Gender.FEMALE,
        birth_date=birth,
        id_number=make_id_number("370303", birth, n),
        phone=phone or f"139{n:08d}",
        is_household_head=head,
        **fields,
    )


def elder(unit: Node, name: str = "王奶奶", *, age: int = 80, month: int | None = None, **kw: Any) -> Resident:
    """A resident turning `age` this year, born in `month` (default: this month)."""
    today = timezone.localdate()
    return resident_at(unit, name, datetime.date(today.year - age, month or today.month, 1), **kw)


def child(unit: Node, name: str = "小明", *, school: str = "湖田小学", grade: str = "三年级") -> Resident:
    today = timezone.localdate()
    return resident_at(unit, name, datetime.date(today.year - 9, 5, 4), head=False, school=school, grade=grade)


def flagged(resident: Resident, kind: str = FlagKind.LIVING_ALONE, *, actor: Any = SYSTEM) -> CareFlag:
    return flag_set(
        actor=actor, kind=kind, resident=resident, source="民政台账", since=datetime.date(2025, 1, 1), note=""
    )


def visited(
    resident: Resident, list_kind: str = ListKind.LIVING_ALONE, *, actor: Any = SYSTEM, opinion: str = ""
) -> CareVisit:
    kind = VisitKind.BIRTHDAY if list_kind == ListKind.BIRTHDAY else VisitKind.CARE
    return visit_record(actor=actor, resident=resident, list_kind=list_kind, kind=kind, opinion=opinion)


def health_round_at(node: Node, *, actor: Any = SYSTEM, served: int = 20) -> HealthRound:
    return health_round_record(
        actor=actor, node=node, place="村卫生室", held_on=timezone.localdate(), served=served, residents=[]
    )


def project_at(node: Node, *, actor: Any = SYSTEM, title: str = "龙湾便民市场", budget: str = "5000000") -> Project:
    return project_create(
        actor=actor,
        data=ProjectInput(
            title=title,
            node=node,
            budget=Decimal(budget),
            funding_source="街道财政",
            milestones=[
                MilestoneInput("立项审批", 10),
                MilestoneInput("开工建设", 60),
                MilestoneInput("竣工验收", 100),
            ],
        ),
    )
