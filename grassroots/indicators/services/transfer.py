"""Excel import and export of the ledger, in the same columns.

An import checks every line first and writes nothing when any line is wrong:
the errors name their line (第 N 行) in Chinese. Only months being entered
(填报中, or not yet opened) are imported; a reviewed or locked month is
changed on its page (a locked one with a reason). A good file is written in
one transaction, through the same service as the entry form."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any
from zipfile import BadZipFile

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import SystemActor
from grassroots.core.errors import DomainError
from grassroots.core.months import MONTH_ERROR, parse_month
from grassroots.core.scoping import path_in_scope
from grassroots.regions.models import Level, Node

from ..errors import IndicatorError
from ..models import Indicator, Ledger, Value
from ..states import State
from .values import clean_amount, values_set

HEADERS = ["区划代码", "单位名称", "月份", "指标", "计量单位", "填报值"]
MAX_ROWS = 5_000
MAX_BYTES = 5 * 1024 * 1024
MAX_SHOWN = 50


class IndicatorImportError(IndicatorError):
    """Lines with errors (`extra["lines"]`, in the API problem as `lines`); nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:MAX_SHOWN]
        more = f"另有 {len(errors) - MAX_SHOWN} 处错误未列出。" if len(errors) > MAX_SHOWN else ""
        super().__init__("import_invalid", f"导入文件有 {len(errors)} 处错误,未导入任何数据。{more}", field="file")
        self.errors = shown
        self.extra = {"lines": shown}


def export_rows(values: Iterable[Value]) -> Iterator[list[Any]]:
    """Rows of `values` (with ledger__node and indicator loaded)."""
    for v in values:
        yield [
            v.ledger.node.code,
            v.ledger.node.name,
            v.ledger.month.strftime("%Y-%m"),
            v.indicator.name,
            v.indicator.get_unit_display(),
            format(v.value.normalize(), "f"),
        ]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m")
    return str(value).strip()


def _read(upload: Any) -> list[tuple[int, list[str]]]:
    if getattr(upload, "size", 0) > MAX_BYTES:
        raise IndicatorError("file_too_large", f"导入文件不能超过 {MAX_BYTES // (1024 * 1024)} MB。", field="file")
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise IndicatorError(
            "file_invalid", "无法读取该文件,请上传由本平台导出的 .xlsx 格式 Excel 文件。", field="file"
        ) from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, ())][: len(HEADERS)]
        if header != HEADERS:
            raise IndicatorError(
                "header_invalid", "第 1 行应为表头:" + "、".join(HEADERS) + "(可先导出一份作为模板)。", field="file"
            )
        lines: list[tuple[int, list[str]]] = []
        for number, row in enumerate(rows, start=2):
            values = [_text(v) for v in list(row)[: len(HEADERS)]]
            values += [""] * (len(HEADERS) - len(values))
            if any(values):
                lines.append((number, values))
            if len(lines) > MAX_ROWS:
                raise IndicatorError("too_many_rows", f"一次最多导入 {MAX_ROWS} 行,请分批导入。", field="file")
    finally:
        workbook.close()
    if not lines:
        raise IndicatorError("file_empty", "导入文件没有数据。", field="file")
    return lines


def indicators_import(*, actor: Actor, upload: Any) -> int:
    """Import every line of `upload` or none; the number of figures read."""
    require_capability(actor, Capability.ENTER_INDICATORS, "只有经管站工作人员可以导入经济指标。")
    lines = _read(upload)
    nodes = {
        n.code: n
        for n in Node.objects.filter(code__in={v[0] for _n, v in lines}, level__in=(Level.SUBDISTRICT, Level.VILLAGE))
        if n.code
    }
    indicators = {i.name: i for i in Indicator.objects.filter(active=True)}
    errors: list[str] = []
    seen: dict[tuple[str, datetime.date, str], int] = {}
    wanted: dict[tuple[int, datetime.date], dict[Indicator, Decimal]] = defaultdict(dict)
    for number, (code, _name, month_text, indicator_name, _unit, raw) in lines:
        node = nodes.get(code)
        if node is None:
            errors.append(f"第 {number} 行:区划代码“{code}”不是本平台的街道或村/社区。")
            continue
        if not (isinstance(actor, SystemActor) or path_in_scope(node.path, actor)):
            errors.append(f"第 {number} 行:{node.name}不在您的辖区内。")
            continue
        month = parse_month(month_text)
        if month is None:
            errors.append(f"第 {number} 行:{MONTH_ERROR}")
            continue
        indicator = indicators.get(indicator_name)
        if indicator is None:
            errors.append(f"第 {number} 行:没有启用的指标“{indicator_name}”。")
            continue
        key = (code, month, indicator_name)
        if key in seen:
            errors.append(f"第 {number} 行:与第 {seen[key]} 行重复({node.name} {month_text} {indicator_name})。")
            continue
        seen[key] = number
        if raw == "":
            errors.append(f"第 {number} 行:请填写“{indicator_name}”的值。")
            continue
        try:
            wanted[(node.pk, month)][indicator] = clean_amount(raw, indicator)
        except DomainError as exc:
            errors.append(f"第 {number} 行:{exc.message}")
    closed = Ledger.objects.filter(
        node_id__in={n for n, _m in wanted}, month__in={m for _n, m in wanted}, state__in=(State.REVIEWED, State.LOCKED)
    )
    by_id = {n.pk: n for n in nodes.values()}
    for ledger in closed:
        if (ledger.node_id, ledger.month) in wanted:
            errors.append(
                f"{by_id[ledger.node_id].name} {ledger.month:%Y-%m} 的月报{ledger.get_state_display()},不能导入;"
                "请在月报页面退回或更正。"
            )
    if errors:
        raise IndicatorImportError(errors)
    with transaction.atomic():
        for (node_pk, month), figures in wanted.items():
            values_set(actor=actor, node=by_id[node_pk], month=month, values=figures, source="import")
    return sum(len(f) for f in wanted.values())
