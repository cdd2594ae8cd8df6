"""The parts of a standard address and the normalised text built from them,
after the national address-coding rules: administrative division (with its
12-digit code) + road/street + door number + building + unit + room.

Each part is typed the way people write it ("18号", "３栋", "2单元", "501室");
`clean_parts` keeps the bare number or name (full-width digits folded, the
usual suffix and spaces removed) and `standard_text` puts the suffixes back in
one fixed form, so the same address always reads the same."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from grassroots.regions.models import Level, Node

from ..errors import AddressError
from ..models import Kind

_ALLOWED = re.compile(r"^[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\-]+$")
# (field, label, suffixes removed from the end, max length)
_SUFFIXES = {
    "door_number": ("门牌号", ("号",), 20),
    "building": ("楼栋号", ("号楼", "栋", "幢", "楼"), 20),
    "unit": ("单元号", ("单元",), 20),
    "room": ("户室号", ("室", "户"), 20),
}


@dataclass(frozen=True)
class Parts:
    kind: str
    road: str
    door_number: str
    building: str = ""
    unit: str = ""
    room: str = ""


def _fold(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value or "").split())


def _part(field: str, value: str) -> str:
    label, suffixes, limit = _SUFFIXES[field]
    text = _fold(value)
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    if text and not _ALLOWED.match(text):
        raise AddressError("part_invalid", f"{label}只能包含汉字、字母、数字和连字符。", field=field)
    if len(text) > limit:
        raise AddressError("part_too_long", f"{label}不能超过 {limit} 个字。", field=field)
    return text


def clean_parts(*, kind: str, road: str, door_number: str, building: str = "", unit: str = "", room: str = "") -> Parts:
    """The parts as stored, or an AddressError naming the first wrong field."""
    if kind not in Kind.values:
        raise AddressError("kind_invalid", "请选择地址类型(楼栋、单元或户/室)。", field="kind")
    road = _fold(road)
    if not road:
        raise AddressError("road_required", "请填写街路巷名称。", field="road")
    if len(road) > 50 or not _ALLOWED.match(road):
        raise AddressError("road_invalid", "街路巷名称只能包含汉字、字母和数字,且不超过 50 个字。", field="road")
    parts = Parts(
        kind=kind,
        road=road,
        door_number=_part("door_number", door_number),
        building=_part("building", building),
        unit=_part("unit", unit),
        room=_part("room", room),
    )
    if not parts.door_number:
        raise AddressError("door_number_required", "请填写门牌号。", field="door_number")
    if kind in (Kind.UNIT, Kind.ROOM) and not parts.building:
        raise AddressError("building_required", "单元和户/室地址须填写楼栋号。", field="building")
    if kind == Kind.UNIT and not parts.unit:
        raise AddressError("unit_required", "单元地址须填写单元号。", field="unit")
    if kind == Kind.ROOM and not parts.room:
        raise AddressError("room_required", "户/室地址须填写户室号。", field="room")
    if kind == Kind.BUILDING and (parts.unit or parts.room):
        raise AddressError("building_has_room", "楼栋地址不填单元号和户室号。", field="unit")
    if kind == Kind.UNIT and parts.room:
        raise AddressError("unit_has_room", "单元地址不填户室号。", field="room")
    return parts


@dataclass(frozen=True)
class Division:
    code: str
    place: str  # 湖田街道西张村


def division_of(node: Node) -> Division:
    """The 12-digit code of the nearest node that has one (a village, else the
    subdistrict) and the place name (subdistrict + village) of `node`."""
    step = Node.steplen
    prefixes = [node.path[:end] for end in range(step, len(node.path) + 1, step)]
    ancestors = {n.path: n for n in Node.objects.filter(path__in=prefixes)}
    chain = [ancestors[p] for p in prefixes if p in ancestors]
    code = next((n.code for n in reversed(chain) if n.code), None)
    if not code:
        raise AddressError("division_missing", "该节点及其上级没有统计用区划代码,无法生成标准地址。", field="node")
    place = "".join(n.label for n in chain if n.level in (Level.SUBDISTRICT, Level.VILLAGE))
    return Division(code=code, place=place)


def standard_text(parts: Parts, place: str) -> str:
    """湖田街道西张村建设路18号3栋2单元501室."""
    text = f"{place}{parts.road}{parts.door_number}号"
    if parts.building:
        text += f"{parts.building}栋"
    if parts.unit:
        text += f"{parts.unit}单元"
    if parts.room:
        text += f"{parts.room}室"
    return text


def check_node(node: Node, kind: str) -> None:
    """A building address hangs on a building node; a unit or a room on a unit node."""
    wanted = Level.BUILDING if kind == Kind.BUILDING else Level.UNIT
    if node.level != wanted:
        raise AddressError("node_level", f"{Kind(kind).label}地址须挂在{Level(wanted).label}节点上。", field="node")
