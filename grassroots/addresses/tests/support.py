"""Shared setup of the address tests: the small tree's people and a few
addresses in a unit of each village (also used by the access world)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, cast

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.actors import SYSTEM
from grassroots.regions.models import Node
from grassroots.testing.factories import SmallTree, UserFactory

from ..models import Address, Kind
from ..services.addresses import AddressInput, address_create


@dataclass
class People:
    grid_a: User
    grid_b: User
    village_a: User
    village_b: User
    street: User


def make_people(tree: SmallTree) -> People:
    def user(name: str, role: str, node: Node) -> User:
        return cast(User, UserFactory(username=name, role=role, jurisdiction=node, display_name=name))

    return People(
        grid_a=user("addr_grid_a", Role.GRID_WORKER, tree.grid_a1),
        grid_b=user("addr_grid_b", Role.GRID_WORKER, tree.grid_b1),
        village_a=user("addr_village_a", Role.VILLAGE_STAFF, tree.village_a),
        village_b=user("addr_village_b", Role.VILLAGE_STAFF, tree.village_b),
        street=user("addr_street", Role.SUBDISTRICT_STAFF, tree.subdistrict),
    )


def room(unit: Node, number: str, *, road: str = "建设路", door: str = "18", building: str = "1") -> Address:
    return address_create(
        actor=SYSTEM,
        node=unit,
        data=AddressInput(kind=Kind.ROOM, road=road, door_number=door, building=building, unit="1", room=number),
    )


def data_of(address: Address, **changes: Any) -> AddressInput:
    values = {name: getattr(address, name) for name in ("kind", "road", "door_number", "building", "unit", "room")}
    values.update(changes)
    return AddressInput(**values)


def jpeg(name: str = "门牌.jpg", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
