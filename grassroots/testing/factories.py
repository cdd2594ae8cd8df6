"""Deterministic factories for tests. `build_small_tree` makes two villages with
two grids each, so that every test can try "another subtree"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import factory

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.validators import id_number_check_char
from grassroots.regions.models import Household, Level, Node, Resident, VillageKind

DEFAULT_PASSWORD = "Grass-roots-2026"  # noqa: S105 - test accounts only


class _UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"工作人员{n}")
    role = Role.GRID_WORKER
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


def UserFactory(**fields: Any) -> User:
    """A saved user. A function, so that mypy sees a `User` (factory_boy's
    factories are untyped) wherever a test hands one to a typed service."""
    user = _UserFactory(**fields)
    assert isinstance(user, User)
    return user


def make_id_number(division: str, birth: datetime.date, serial: int) -> str:
    body = f"{division}{birth:%Y%m%d}{serial:03d}"
    return body + id_number_check_char(body)


@dataclass
class SmallTree:
    subdistrict: Node
    village_a: Node
    village_b: Node
    grid_a1: Node
    grid_a2: Node
    grid_b1: Node
    unit_a1: Node
    unit_b1: Node
    resident_a1: Resident
    resident_b1: Resident


def _child(parent: Node, **fields: object) -> Node:
    return Node.objects.add_child(Node.objects.get(pk=parent.pk), instance=Node(**fields))


def build_small_tree() -> SmallTree:
    sub = Node.objects.add_root(instance=Node(name="湖田街道", level=Level.SUBDISTRICT, code="370303003000"))
    va = _child(
        sub, name="西张村委会", short_name="西张村", level=Level.VILLAGE, code="370303003206", kind=VillageKind.VILLAGE
    )
    vb = _child(
        sub,
        name="店子社区居委会",
        short_name="店子社区",
        level=Level.VILLAGE,
        code="370303003015",
        kind=VillageKind.COMMUNITY,
    )
    grids = {}
    units = {}
    for village, tag in ((va, "a"), (vb, "b")):
        for g in (1, 2):
            grid = _child(village, name=f"第{g}网格", level=Level.GRID)
            building = _child(grid, name=f"{g}号楼", level=Level.BUILDING)
            unit = _child(building, name="1单元", level=Level.UNIT)
            grids[f"{tag}{g}"] = grid
            units[f"{tag}{g}"] = unit
    residents = {}
    for i, key in enumerate(("a1", "b1")):
        unit = Node.objects.get(pk=units[key].pk)
        household = Household.objects.create(unit=unit, room="101", address=f"{unit.name}101室")
        residents[key] = Resident.objects.create(
            household=household,
            name="张三" if i == 0 else "李四",
            gender=Resident.Gender.MALE,
            birth_date=datetime.date(1950, 3, 1),
            id_number=make_id_number("370303", datetime.date(1950, 3, 1), 11 + i),
            phone=f"1380000{i:04d}",
            is_household_head=True,
        )
    return SmallTree(
        subdistrict=Node.objects.get(pk=sub.pk),
        village_a=Node.objects.get(pk=va.pk),
        village_b=Node.objects.get(pk=vb.pk),
        grid_a1=Node.objects.get(pk=grids["a1"].pk),
        grid_a2=Node.objects.get(pk=grids["a2"].pk),
        grid_b1=Node.objects.get(pk=grids["b1"].pk),
        unit_a1=Node.objects.get(pk=units["a1"].pk),
        unit_b1=Node.objects.get(pk=units["b1"].pk),
        resident_a1=residents["a1"],
        resident_b1=residents["b1"],
    )
