"""Bulk entry from Excel, all or nothing (like the address register's
import): the units of a project, and the daily stage updates. Every line is
checked first and the errors are listed by line number; when any line is
wrong nothing is written.

Units: 批次号, 户号, 村/社区, 位置说明, 房屋类型, 建筑面积(㎡), 户主/产权人,
联系电话, 身份证号, 包户工作人员(账号).
Stage updates: 户号, 环节 (信息确认 … 补偿到位), 日期, 金额(元), 备注 — each
line goes through the same service as the page (`unit_advance`), in file
order, inside one transaction that is rolled back when any line fails."""

from __future__ import annotations

import datetime
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any
from zipfile import BadZipFile

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.accounts.roles import ROLE_CAPABILITIES, Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError
from grassroots.core.notifications.services import normalise_mobile
from grassroots.core.scoping import scope_queryset
from grassroots.core.validators import is_valid_id_number
from grassroots.regions.models import Level, Node

from ..errors import ImportRejected, RelocationError
from ..models import Project, Unit, UnitEvent, UnitKind
from ..permissions import require_manage
from ..states import Action
from .units import StageInput, unit_advance

UNIT_HEADERS = [
    "批次号",
    "户号",
    "村/社区",
    "位置说明",
    "房屋类型",
    "建筑面积(㎡)",
    "户主/产权人",
    "联系电话",
    "身份证号",
    "包户工作人员(账号)",
]
STAGE_HEADERS = ["户号", "环节", "日期", "金额(元)", "备注"]
MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
KIND_BY_LABEL = {str(label): value for value, label in UnitKind.choices}
ACTION_BY_LABEL = {str(label): value for value, label in Action.choices}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def read_lines(upload: Any, headers: list[str]) -> list[tuple[int, list[str]]]:
    """(line number, cells) of each non-empty line after the header."""
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise RelocationError("file_too_large", f"导入文件不能超过 {MAX_BYTES // (1024 * 1024)} MB。", field="file")
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise RelocationError("file_invalid", "无法读取该文件,请上传 .xlsx 格式的 Excel 文件。", field="file") from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, ())][: len(headers)]
        if header != [_text(h) for h in headers]:
            raise RelocationError("header_invalid", "第 1 行应为表头:" + "、".join(headers) + "。", field="file")
        lines: list[tuple[int, list[str]]] = []
        for number, row in enumerate(rows, start=2):
            values = [_text(v) for v in list(row)[: len(headers)]]
            values += [""] * (len(headers) - len(values))
            if any(values):
                lines.append((number, values))
            if len(lines) > MAX_ROWS:
                raise RelocationError("too_many_rows", f"一次最多导入 {MAX_ROWS} 行,请分批导入。", field="file")
    finally:
        workbook.close()
    if not lines:
        raise RelocationError("file_empty", "导入文件没有数据行。", field="file")
    return lines


def _decimal(text: str, *, label: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise RelocationError("number_invalid", f"{label}应为数字。") from exc
    if not value.is_finite() or value <= 0 or value >= Decimal("100000000") or value != value.quantize(Decimal("0.01")):
        raise RelocationError("number_invalid", f"{label}应为大于 0 的数字,最多两位小数。")
    return value


def _workers() -> dict[str, User]:
    roles = [r for r, caps in ROLE_CAPABILITIES.items() if Capability.WORK_RELOCATION in caps]
    return {u.username: u for u in User.objects.filter(is_active=True, role__in=roles).select_related("jurisdiction")}


def _unit_line(
    values: list[str], *, batches: dict[str, Any], villages: dict[str, Node], workers: dict[str, User]
) -> Unit:
    batch_no, number, village_name, location, kind_label, area, head, phone, id_number, worker_name = values
    batch = batches.get(batch_no)
    if batch is None:
        raise RelocationError("batch_unknown", f"本项目没有批次号“{batch_no}”。")
    if not number or len(number) > 30:
        raise RelocationError("number_invalid", "请填写户号(不超过 30 个字)。")
    village = villages.get(village_name)
    if village is None:
        raise RelocationError("village_unknown", f"“{village_name}”不是您辖区内的村/社区。")
    kind = KIND_BY_LABEL.get(kind_label or "住宅")
    if kind is None:
        raise RelocationError("kind_invalid", "房屋类型应为:" + "、".join(KIND_BY_LABEL) + "。")
    if not head or len(head) > 50:
        raise RelocationError("head_invalid", "请填写户主/产权人(不超过 50 个字)。")
    if len(location) > 200:
        raise RelocationError("location_too_long", "位置说明不能超过 200 个字。")
    if phone:
        phone = normalise_mobile(phone)
    id_number = id_number.upper()
    if id_number and not is_valid_id_number(id_number):
        raise RelocationError("id_number_invalid", "身份证号码无效。")
    worker = None
    if worker_name:
        worker = workers.get(worker_name)
        if worker is None or worker.jurisdiction is None or not village.path.startswith(worker.jurisdiction.path):
            raise RelocationError("worker_unknown", f"“{worker_name}”不是负责该村/社区的征迁工作人员账号。")
    return Unit(
        project=batch.project,
        batch=batch,
        number=number,
        village=village,
        path=village.path,
        location=location,
        kind=kind,
        floor_area=_decimal(area, label="建筑面积"),
        head_name=head,
        head_phone=phone,
        head_id_number=id_number,
        worker=worker,
    )


def units_import(*, actor: Actor, project: Project, upload: Any) -> int:
    """Import every unit line of `upload` into `project`, or none; the number written."""
    require_manage(actor, project)
    lines = read_lines(upload, UNIT_HEADERS)
    batches = {str(b.number): b for b in project.batches.all()}
    for batch in batches.values():
        batch.project = project
    villages = {n.name: n for n in scope_queryset(Node.objects.filter(level=Level.VILLAGE), actor)}
    workers = _workers()
    taken = set(Unit.objects.filter(project=project).values_list("number", flat=True))
    errors: list[str] = []
    built: list[Unit] = []
    seen: dict[str, int] = {}
    for line, values in lines:
        try:
            unit = _unit_line(values, batches=batches, villages=villages, workers=workers)
        except DomainError as exc:
            errors.append(f"第 {line} 行:{exc.message}")
            continue
        if unit.number in seen:
            errors.append(f"第 {line} 行:户号“{unit.number}”与第 {seen[unit.number]} 行重复。")
            continue
        if unit.number in taken:
            errors.append(f"第 {line} 行:户号“{unit.number}”在本项目已登记。")
            continue
        seen[unit.number] = line
        built.append(unit)
    if errors:
        raise ImportRejected(errors, what="征迁户")
    with transaction.atomic():
        created = Unit.objects.bulk_create(built, batch_size=1000)
        UnitEvent.objects.bulk_create(
            [UnitEvent(unit=u, action="import", to_state=u.state, actor=user_or_none(actor)) for u in created],
            batch_size=1000,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=user_or_none(actor),
            obj=project,
            detail={"imported_units": len(created)},
        )
    return len(created)


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text.replace("/", "-")[:10])
    except ValueError as exc:
        raise RelocationError("date_invalid", "日期应写成 2026-12-07 这样的格式。") from exc


def stages_import(*, actor: Actor, project: Project, upload: Any) -> int:
    """Apply every stage line of `upload` in file order, or none; the number applied."""
    require_manage(actor, project)
    lines = read_lines(upload, STAGE_HEADERS)
    numbers = {values[0] for _line, values in lines}
    units = {u.number: u for u in scope_queryset(Unit.objects.filter(project=project, number__in=numbers), actor)}
    errors: list[str] = []
    applied = 0
    with transaction.atomic():
        for line, (number, stage, day, amount, note) in lines:
            try:
                unit = units.get(number)
                if unit is None:
                    raise RelocationError("unit_unknown", f"本项目(您的辖区内)没有户号“{number}”。")
                action = ACTION_BY_LABEL.get(stage)
                if action is None:
                    raise RelocationError("stage_invalid", "环节应为:" + "、".join(ACTION_BY_LABEL) + "。")
                data = StageInput(on=_date(day) if day else None, amount=amount or None, note=note)
                with transaction.atomic():
                    unit_advance(actor=actor, unit=unit, action=action, data=data)
                applied += 1
            except DomainError as exc:
                errors.append(f"第 {line} 行:{exc.message}")
        if errors:
            raise ImportRejected(errors, what="环节进度")
    return applied
