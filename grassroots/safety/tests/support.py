"""Shared setup of the safety tests: the small tree's people and premises
(also used by the access world)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.addresses.models import Address
from grassroots.addresses.tests.support import jpeg
from grassroots.core.actors import SYSTEM
from grassroots.regions.models import Node
from grassroots.testing.factories import SmallTree, UserFactory

from ..models import Hazard, Inspection, Premises, PremisesKind, Result, RiskLevel
from ..services import hazards
from ..services.inspections import Answer, InspectionInput, inspection_record, versions_applicable
from ..services.premises import PremisesInput, premises_create

PHONE = "13812345678"


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
        grid_a=user("safe_grid_a", Role.GRID_WORKER, tree.grid_a1),
        grid_b=user("safe_grid_b", Role.GRID_WORKER, tree.grid_b1),
        village_a=user("safe_village_a", Role.VILLAGE_STAFF, tree.village_a),
        village_b=user("safe_village_b", Role.VILLAGE_STAFF, tree.village_b),
        street=user("safe_street", Role.SUBDISTRICT_STAFF, tree.subdistrict),
        window=user("safe_window", Role.WINDOW_STAFF, tree.subdistrict),
    )


def input_for(node: Node, **changes: Any) -> PremisesInput:
    values: dict[str, Any] = {
        "name": "东风物流仓库",
        "kind": PremisesKind.WAREHOUSE,
        "risk_level": RiskLevel.HIGH,
        "node": node,
        "operator_name": "刘经理",
        "operator_phone": PHONE,
        "location": "村东 200 米",
    }
    values.update(changes)
    return PremisesInput(**values)


def premises_at(node: Node, *, address: Address | None = None, actor: Any = SYSTEM, **changes: Any) -> Premises:
    return premises_create(actor=actor, data=input_for(node, address=address, **changes))


def inspect(
    premises: Premises,
    *,
    actor: Any = SYSTEM,
    inspectors: list[User] | None = None,
    fail: int = 0,
    photos: list[Any] | None = None,
) -> Inspection:
    """An inspection of `premises` with the first checklist in force: the first
    `fail` items fail with a note, the others pass."""
    version = versions_applicable(premises)[0]
    answers = {
        item.pk: Answer(Result.FAIL, f"第{item.position}项存在问题") if n < fail else Answer(Result.PASS)
        for n, item in enumerate(version.items.order_by("position"))
    }
    return inspection_record(
        actor=actor,
        premises=premises,
        data=InspectionInput(version=version, answers=answers, inspectors=inspectors or [], photos=photos or []),
    )


def raised_hazard(inspection: Inspection, *, actor: Any = SYSTEM, n: int = 0) -> Hazard:
    """A hazard from the `n`-th failed item of `inspection`."""
    item_id = inspection.answers.filter(result=Result.FAIL).order_by("item__position")[n].item_id
    return hazards.hazard_raise(actor=actor, inspection=inspection, item_id=item_id)


def rectified_hazard(inspection: Inspection, *, actor: Any = SYSTEM) -> Hazard:
    hazard = raised_hazard(inspection, actor=actor)
    hazard = hazards.hazard_issue_notice(actor=actor, hazard=hazard, days=5)
    return hazards.hazard_rectify(actor=actor, hazard=hazard, evidence=jpeg("整改.jpg"), note="已清理通道")
