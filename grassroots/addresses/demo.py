"""Demo address register for the demo tree (after generate_demo and
create_demo_users): every building, unit and room (one per household) of the
generated buildings, on invented road names, with the villages' real
12-digit division codes; then a campaign over the subdistrict, part done in
the demo users' village: the demo grid worker's grid collected (some
corrected, one sent back), most of it verified by the village and signed off
by the subdistrict, over the last few days. Addresses are bulk-inserted; the
campaign's steps go through the services and the workflow engine.
Idempotent: does nothing when addresses exist."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.actors import SYSTEM
from grassroots.core.errors import DomainError
from grassroots.regions.models import Household, Level, Node

from .models import Address, AddressEvent, Batch, Kind
from .services import addresses as services
from .services import campaigns
from .services.addresses import AddressInput, address_index, address_unsaved
from .services.linking import households_link
from .services.parts import clean_parts, standard_text
from .states import Action

ROADS = ("人民路", "华光路", "金晶大道", "共青团路", "西六路", "柳泉路", "新村路", "北京路", "华侨路", "湖田路")
BATCH = 1000
CAMPAIGN_TITLE = "2026 年标准地理信息核采"


@dataclass
class DemoReport:
    created: bool
    message: str = ""
    addresses: int = 0
    households_linked: int = 0
    collected: int = 0
    verified: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        if not self.created:
            return self.message
        return (
            f"标准地址演示数据:地址 {self.addresses} 个(楼栋、单元、户/室),关联住户 {self.households_linked} 户,"
            f"核采中已核采 {self.collected} 个,"
            f"已审定 {self.verified} 个;用时 {self.seconds:.1f} 秒。"
        )


def _digits(name: str) -> str:
    return "".join(ch for ch in name if ch.isdigit()) or name


def _build(subdistrict: Node) -> list[Address]:
    """Address rows for every building, unit and household under `subdistrict`."""
    villages = list(Node.objects.filter(path__startswith=subdistrict.path, level=Level.VILLAGE).order_by("path"))
    step = Node.steplen
    rows: list[Address] = []
    households: dict[int, list[str]] = {}
    for unit_id, room in Household.objects.filter(path__startswith=subdistrict.path).values_list("unit_id", "room"):
        households.setdefault(unit_id, []).append(room)
    for index, village in enumerate(villages):
        if not village.code:
            continue
        place = subdistrict.label + village.label
        road = ROADS[index % len(ROADS)]
        below = Node.objects.filter(path__startswith=village.path, level__in=(Level.BUILDING, Level.UNIT))
        buildings = {n.path: n for n in below if n.level == Level.BUILDING}
        order = {path: number for number, path in enumerate(sorted(buildings), start=1)}
        for path, building in sorted(buildings.items()):
            door = str(2 * order[path])
            parts = AddressInput(kind=Kind.BUILDING, road=road, door_number=door, building=_digits(building.name))
            rows.append(_row(building, parts, village.code, place))
        for unit in sorted((n for n in below if n.level == Level.UNIT), key=lambda n: n.path):
            building = buildings[unit.path[: len(unit.path) - step]]
            common = {"road": road, "door_number": str(2 * order[building.path]), "building": _digits(building.name)}
            unit_no = _digits(unit.name)
            rows.append(_row(unit, AddressInput(kind=Kind.UNIT, unit=unit_no, **common), village.code, place))
            for room in sorted(households.get(unit.pk, [])):
                rows.append(
                    _row(unit, AddressInput(kind=Kind.ROOM, unit=unit_no, room=room, **common), village.code, place)
                )
    return rows


def _row(node: Node, data: AddressInput, code: str, place: str) -> Address:
    parts = clean_parts(**vars(data))
    return address_unsaved(node, parts, code, standard_text(parts, place))


def _work(campaign_batch: Batch, report: DemoReport) -> None:
    """The demo grid worker's batch: collected over the last days, one room
    corrected, one sent back, most verified and signed off."""
    worker = campaign_batch.worker or SYSTEM
    village_staff = User.objects.filter(
        role=Role.VILLAGE_STAFF, jurisdiction__path=campaign_batch.path[: 2 * Node.steplen]
    ).first()
    street = User.objects.filter(role=Role.SUBDISTRICT_STAFF, jurisdiction__depth=1).first()
    rows = list(campaign_batch.addresses.order_by("path", "building", "unit", "room", "id"))
    collected = rows[: max(1, len(rows) * 4 // 5)]
    for i, address in enumerate(collected):
        data = AddressInput(
            kind=address.kind,
            road=address.road,
            door_number=address.door_number,
            building=address.building,
            unit=address.unit,
            room=address.room,
        )
        services.address_collect(
            actor=worker,
            address=address,
            data=data,
            latitude=f"36.{790000 + 37 * i:06d}",
            longitude=f"118.{40000 + 53 * i:06d}",
        )
        report.collected += 1
    verified = collected[: len(collected) * 3 // 4]
    for address in verified:
        services.address_verify(actor=village_staff or SYSTEM, address=address)
    if len(collected) > len(verified):
        services.address_doubt(
            actor=village_staff or SYSTEM, address=collected[len(verified)], reason="门牌与现场不符,请重新核对"
        )
    for address in verified[: len(verified) * 2 // 3]:
        services.address_sign_off(actor=street or SYSTEM, address=address)
        report.verified += 1
    # Spread the collections over the last five days (the daily figure).
    events = list(
        AddressEvent.objects.filter(campaign=campaign_batch.campaign, action=Action.COLLECT)
        .order_by("id")
        .values_list("id", flat=True)
    )
    now = timezone.now()
    for i, pk in enumerate(events):
        day = 4 - (i * 5 // max(len(events), 1))
        AddressEvent.objects.filter(pk=pk).update(created_at=now - datetime.timedelta(days=day))


def _index_all(addresses: list[Address]) -> None:
    for address in addresses:
        address_index(address)


def generate_demo_addresses(*, subdistrict_code: str = "370303003000") -> DemoReport:
    started = time.perf_counter()
    subdistrict = Node.objects.filter(code=subdistrict_code, level=Level.SUBDISTRICT).first()
    if subdistrict is None:
        raise DomainError("demo_no_subdistrict", f"没有找到代码为 {subdistrict_code} 的街道,请先运行 load_hutian。")
    if Address.objects.filter(path__startswith=subdistrict.path).exists():
        return DemoReport(created=False, message=f"{subdistrict.label}已有标准地址,未重复生成。")
    report = DemoReport(created=True)
    with transaction.atomic():
        rows = Address.objects.bulk_create(_build(subdistrict), batch_size=BATCH)
        AddressEvent.objects.bulk_create(
            [AddressEvent(address=a, action="import", to_state=a.state) for a in rows], batch_size=BATCH
        )
        transaction.on_commit(lambda: _index_all(rows))
        report.addresses = len(rows)
        report.households_linked = households_link(actor=SYSTEM).linked
        campaign = campaigns.campaign_open(actor=SYSTEM, node=subdistrict, title=CAMPAIGN_TITLE)
        grid_worker = User.objects.filter(role=Role.GRID_WORKER, jurisdiction__level=Level.GRID).order_by("pk").first()
        batch = (
            Batch.objects.filter(campaign=campaign, grid_id=grid_worker.jurisdiction_id).first()
            if grid_worker is not None
            else Batch.objects.filter(campaign=campaign).order_by("path").first()
        )
        if batch is not None:
            _work(batch, report)
    report.seconds = time.perf_counter() - started
    return report
