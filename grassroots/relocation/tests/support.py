"""Shared setup of the relocation tests: people, a project with batches and
units in the small tree (also used by the access world)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.actors import SYSTEM
from grassroots.regions.models import Node
from grassroots.testing.factories import SmallTree, UserFactory

from ..models import Batch, BatchKind, Project, ProjectKind, Unit, UnitKind
from ..services.units import StageInput, unit_advance
from ..states import DATE_FIELD, TABLE, Action, State

PHONE = "13812345678"
ID_NUMBER = "11010519491231002X"
AMOUNTS: dict[str, str] = {Action.ASSESS: "850000.00", Action.SIGN: "880000.50", Action.COMPENSATE: "880000.50"}


@dataclass
class People:
    worker_a: User  # village staff of village a: the relocation worker
    worker_b: User
    office: User  # the subdistrict's relocation office
    grid_a: User  # no relocation capability
    security: User  # may reveal


def make_user(name: str, role: str, node: Node) -> User:
    return cast(User, UserFactory(username=name, role=role, jurisdiction=node, display_name=name))


def make_people(tree: SmallTree) -> People:
    user = make_user
    return People(
        worker_a=user("rel_worker_a", Role.VILLAGE_STAFF, tree.village_a),
        worker_b=user("rel_worker_b", Role.VILLAGE_STAFF, tree.village_b),
        office=user("rel_office", Role.SUBDISTRICT_STAFF, tree.subdistrict),
        grid_a=user("rel_grid_a", Role.GRID_WORKER, tree.grid_a1),
        security=user("rel_security", Role.SECURITY_ADMIN, tree.subdistrict),
    )


def project_at(node: Node, name: str = "火车站北广场", *, implementer: str = "区房屋征收服务中心") -> Project:
    project = Project.objects.create(
        name=name, kind=ProjectKind.STATION, node=node, implementer=implementer, target_date=datetime.date(2026, 12, 31)
    )
    Batch.objects.create(project=project, number=1, name="第一批次", kind=BatchKind.NON_RESIDENTIAL)
    Batch.objects.create(project=project, number=2, name="第二批次", kind=BatchKind.RESIDENTIAL)
    return project


def unit_at(
    project: Project, village: Node, number: str = "A-001", *, worker: User | None = None, batch: int = 1, **extra: Any
) -> Unit:
    values: dict[str, Any] = {
        "project": project,
        "batch": project.batches.get(number=batch),
        "number": number,
        "village": village,
        "kind": UnitKind.HOUSE,
        "floor_area": Decimal("120.50"),
        "head_name": "张三丰",
        "head_phone": PHONE,
        "head_id_number": ID_NUMBER,
        "worker": worker,
        "location": "站北路 12 号",
    }
    values.update(extra)
    return Unit.objects.create(**values)


def advance_to(unit: Unit, state: str, *, actor: Any = SYSTEM, on: datetime.date | None = None) -> Unit:
    """Move `unit` through the stages up to `state` (valid input at each)."""
    for action in DATE_FIELD:
        if unit.state == state:
            break
        if not TABLE.allowed(action, unit.state):
            continue
        data = StageInput(on=on, amount=AMOUNTS.get(action))
        unit = unit_advance(actor=actor, unit=unit, action=action, data=data)
    assert unit.state == state
    return unit


def stage_input(action: str) -> StageInput:
    return StageInput(amount=AMOUNTS.get(action))


__all__ = ["State"]
