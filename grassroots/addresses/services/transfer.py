"""Excel import and export of the register, in the same columns.

An import checks every line first and writes nothing when any line is
wrong: the errors name their line (第 N 行) in Chinese. A good file is
written in one transaction (bulk inserts, one audit row, search indexing on
commit). The place of an address is its village's 12-digit division code
plus the names of the tree nodes below the village ("第1网格/1号楼/1单元");
the standard text and the state are written by the register and ignored on
import, so an exported file reads back unchanged apart from its states."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import SystemActor, user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError
from grassroots.core.scoping import path_in_scope
from grassroots.regions.models import Level, Node

from ..errors import AddressError
from ..models import Address, AddressEvent, Kind
from .addresses import AddressInput, address_index, address_unsaved, clean_position
from .parts import check_node, clean_parts, standard_text

HEADERS = [
    "区划代码",
    "所在位置",
    "地址类型",
    "街路巷",
    "门牌号",
    "楼栋号",
    "单元号",
    "户室号",
    "纬度",
    "经度",
    "状态",
    "标准地址",
]
IMPORTED = 10  # the first ten columns are read; state and standard text are the register's
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
MAX_SHOWN = 50
KIND_BY_LABEL = {str(label): value for value, label in Kind.choices}


class AddressImportError(AddressError):
    """Lines with errors (`extra["errors"]`); nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:MAX_SHOWN]
        more = f"另有 {len(errors) - MAX_SHOWN} 处错误未列出。" if len(errors) > MAX_SHOWN else ""
        super().__init__("import_invalid", f"导入文件有 {len(errors)} 处错误,未导入任何地址。{more}", field="file")
        self.errors = shown
        self.extra = {"errors": shown}


# --- export -------------------------------------------------------------------------


def _place_names(addresses: list[Address]) -> dict[str, str]:
    """path → "第1网格/1号楼/1单元" (the nodes below the village) for each address's node."""
    step = Node.steplen
    wanted = {a.path[:end] for a in addresses for end in range(3 * step, len(a.path) + 1, step)}
    names = dict(Node.objects.filter(path__in=wanted).values_list("path", "name")) if wanted else {}
    return {
        a.path: "/".join(names.get(a.path[:end], "") for end in range(3 * step, len(a.path) + 1, step))
        for a in addresses
    }


def export_rows(addresses: Iterable[Address], *, chunk: int = 2000) -> Iterator[list[Any]]:
    batch: list[Address] = []
    for address in addresses:
        batch.append(address)
        if len(batch) >= chunk:
            yield from _rows(batch)
            batch = []
    yield from _rows(batch)


def _rows(batch: list[Address]) -> Iterator[list[Any]]:
    places = _place_names(batch)
    for a in batch:
        yield [
            a.division_code,
            places[a.path],
            a.get_kind_display(),
            a.road,
            a.door_number,
            a.building,
            a.unit,
            a.room,
            str(a.latitude) if a.latitude is not None else "",
            str(a.longitude) if a.longitude is not None else "",
            a.get_state_display(),
            a.full_text,
        ]


# --- import -------------------------------------------------------------------------


@dataclass
class _Tree:
    """The nodes under the villages of the file: (code, "a/b/c") → node."""

    villages: dict[str, Node]
    below: dict[tuple[str, str], Node]
    places: dict[str, str]  # village path → "湖田街道西张村"


def _load_tree(codes: set[str]) -> _Tree:
    villages = {n.code: n for n in Node.objects.filter(code__in=codes, level=Level.VILLAGE) if n.code}
    below: dict[tuple[str, str], Node] = {}
    places: dict[str, str] = {}
    step = Node.steplen
    for code, village in villages.items():
        parent = Node.objects.filter(path=village.path[:step]).first()
        places[village.path] = (parent.label if parent else "") + village.label
        nodes = list(Node.objects.filter(path__startswith=village.path, depth__gt=village.depth).order_by("path"))
        names = {n.path: n.name for n in nodes}
        for n in nodes:
            chain = "/".join(names[n.path[:end]] for end in range(len(village.path) + step, len(n.path) + 1, step))
            below[(code, chain)] = n
    return _Tree(villages=villages, below=below, places=places)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read(upload: Any) -> list[tuple[int, list[str]]]:
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise AddressError("file_too_large", f"导入文件不能超过 {MAX_BYTES // (1024 * 1024)} MB。", field="file")
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError, TypeError) as exc:
        raise AddressError(
            "file_invalid", "无法读取该文件,请上传由本平台导出的 .xlsx 格式 Excel 文件。", field="file"
        ) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(v) for v in next(rows, ())][:IMPORTED]
    if header != HEADERS[:IMPORTED]:
        workbook.close()
        raise AddressError(
            "header_invalid", "第 1 行应为表头:" + "、".join(HEADERS) + "(可先导出一份作为模板)。", field="file"
        )
    lines: list[tuple[int, list[str]]] = []
    for number, row in enumerate(rows, start=2):
        values = [_text(v) for v in list(row)[:IMPORTED]]
        values += [""] * (IMPORTED - len(values))
        if any(values):
            lines.append((number, values))
        if len(lines) > MAX_ROWS:
            workbook.close()
            raise AddressError("too_many_rows", f"一次最多导入 {MAX_ROWS} 个地址,请分批导入。", field="file")
    workbook.close()
    if not lines:
        raise AddressError("file_empty", "导入文件没有地址。", field="file")
    return lines


def addresses_import(*, actor: Actor, upload: Any) -> int:
    """Import every line of `upload` or none; the number of addresses written."""
    require_capability(actor, Capability.MANAGE_ADDRESSES, "只有街道工作人员可以导入标准地址。")
    lines = _read(upload)
    tree = _load_tree({values[0] for _n, values in lines})
    errors: list[str] = []
    built: list[Address] = []
    seen: dict[str, int] = {}
    for number, values in lines:
        code, place, kind_label, road, door, building, unit, room, lat, lng = values
        village = tree.villages.get(code)
        node = tree.below.get((code, place)) if village else None
        if village is None:
            errors.append(f"第 {number} 行:区划代码“{code}”不是本平台的村/社区。")
            continue
        if node is None:
            errors.append(f"第 {number} 行:在{village.label}找不到位置“{place}”。")
            continue
        if not _in_scope(actor, node):
            errors.append(f"第 {number} 行:位置“{place}”不在您的辖区内。")
            continue
        try:
            kind = KIND_BY_LABEL.get(kind_label, kind_label)
            parts = clean_parts(**vars(AddressInput(kind, road, door, building, unit, room)))
            check_node(node, parts.kind)
            latitude, longitude = clean_position(lat, lng)
        except DomainError as exc:
            errors.append(f"第 {number} 行:{exc.message}")
            continue
        text = standard_text(parts, tree.places[village.path])
        if text in seen:
            errors.append(f"第 {number} 行:与第 {seen[text]} 行重复({text})。")
            continue
        seen[text] = number
        built.append(address_unsaved(node, parts, code, text, latitude=latitude, longitude=longitude))
    existing = set(Address.objects.filter(full_text__in=list(seen)).values_list("full_text", flat=True))
    errors += [f"第 {seen[text]} 行:标准地址“{text}”已存在。" for text in sorted(existing, key=seen.__getitem__)]
    if errors:
        raise AddressImportError(errors)
    with transaction.atomic():
        created = Address.objects.bulk_create(built, batch_size=1000)
        AddressEvent.objects.bulk_create(
            [AddressEvent(address=a, action="import", to_state=a.state, actor=user_or_none(actor)) for a in created],
            batch_size=1000,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=user_or_none(actor),
            object_type=Address._meta.label,
            detail={"imported": len(created)},
        )
        transaction.on_commit(lambda: _index_all(created))
    return len(created)


def _index_all(addresses: list[Address]) -> None:
    for address in addresses:
        address_index(address)


def _in_scope(actor: Actor, node: Node) -> bool:
    """The system imports anywhere; a user inside their subtree."""
    return isinstance(actor, SystemActor) or path_in_scope(node.path, actor)
