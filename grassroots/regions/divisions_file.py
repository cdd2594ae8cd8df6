"""Reading and checking a division file (CSV or XLSX): columns, names and
kinds, and the per-row rules with line numbers. `importer.py` plans and
writes what this module has read."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .models import Level, Node, VillageKind

REQUIRED_COLUMNS = ("code", "name", "level", "parent_code")
OPTIONAL_COLUMNS = ("street_name", "kind")

NBS_TOWNSHIP = 4
NBS_VILLAGE = 5
NAME_MAX = Node._meta.get_field("name").max_length or 100
SHORT_NAME_MAX = Node._meta.get_field("short_name").max_length or 50

CODE_RE = re.compile(r"^\d{12}$")

# Values accepted in the optional `kind` column.
KIND_ALIASES: dict[str, str] = {
    **{kind.value: kind.value for kind in VillageKind},
    **{str(kind.label): kind.value for kind in VillageKind},  # 村, 社区, 单位社区
}

# Name suffixes of village committees (村民委员会, abbreviated 村委会).
VILLAGE_SUFFIXES = ("村民委员会", "村委会")
# Words that mark a community attached to an organisation (单位社区): the
# residential quarter of a company, factory, mine, prison, university, army
# unit or state farm. A heuristic: the statistical code does not say it, and
# the `kind` column overrides it where the importer knows better.
UNIT_COMMUNITY_MARKERS = (
    "集团",
    "监狱",
    "公司",
    "厂",
    "矿",
    "大学",
    "学院",
    "学校",
    "医院",
    "部队",
    "农场",
    "林场",
    "油田",
    "铁路",
)


@dataclass
class DivisionRow:
    line: int
    code: str
    name: str
    level: int
    parent_code: str
    street_name: str = ""
    kind: str = ""


# --- Names and kinds ----------------------------------------------------------


def short_name_for(name: str, level: int = Level.VILLAGE) -> str:
    """``西张村委会`` → ``西张村``, ``店子社区居委会`` → ``店子社区``,
    ``三里村民委员会`` → ``三里村``, ``北关村村民委员会`` → ``北关村``.
    A township keeps its name."""
    name = name.strip()
    if level != Level.VILLAGE:
        return name[:SHORT_NAME_MAX]
    short = name
    if name.endswith("村民委员会"):
        stem = name[: -len("村民委员会")]
        short = stem if stem.endswith("村") else stem + "村"
    elif name.endswith("村委会"):
        short = name[: -len("委会")]
    else:
        for suffix in ("居民委员会", "居民居委会", "居委会"):
            if name.endswith(suffix) and len(name) > len(suffix):
                short = name[: -len(suffix)]
                break
    return (short or name)[:SHORT_NAME_MAX]


def infer_kind(name: str) -> str:
    """Village if the name ends with 村委会/村民委员会; unit-based community if
    it names an organisation (see :data:`UNIT_COMMUNITY_MARKERS`); otherwise
    community."""
    name = name.strip()
    if name.endswith(VILLAGE_SUFFIXES):
        return VillageKind.VILLAGE.value
    if any(marker in name for marker in UNIT_COMMUNITY_MARKERS):
        return VillageKind.UNIT_COMMUNITY.value
    return VillageKind.COMMUNITY.value


# --- Reading -----------------------------------------------------------------


class _FileError(Exception):
    pass


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _FileError("文件不是 UTF-8 编码,请用 Excel“另存为 CSV UTF-8”后重试。") from exc
    for record in csv.reader(io.StringIO(text, newline="")):
        yield [cell.strip() for cell in record]


def _read_xlsx(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise _FileError("无法读取 Excel 文件,请确认是 .xlsx 格式。") from exc
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in values]
    finally:
        workbook.close()


def _records(source: str | Path | bytes | IO[bytes]) -> Iterator[list[str]]:
    if isinstance(source, str | Path):
        data = Path(source).read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    # XLSX is a zip archive: detect by content, not by file name.
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    return _read_csv(data)


@dataclass
class ParsedFile:
    rows: list[DivisionRow]
    errors: list[str]
    # Codes of rows that failed their own checks: villages under them are not
    # reported a second time as "parent missing".
    rejected_codes: set[str] = field(default_factory=set)
    fatal: bool = False


def read_rows(source: str | Path | bytes | IO[bytes]) -> ParsedFile:
    """Parse and validate each row on its own. Returns the rows that passed
    and the line-numbered errors of those that did not."""
    errors: list[str] = []
    rows: list[DivisionRow] = []
    rejected: set[str] = set()
    try:
        records = _records(source)
        header = next(records, None)
    except _FileError as exc:
        return ParsedFile([], [str(exc)], fatal=True)
    except OSError as exc:
        return ParsedFile([], [f"无法打开文件:{exc.strerror or exc}"], fatal=True)
    if header is None:
        return ParsedFile([], ["文件为空。"], fatal=True)
    columns = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        return ParsedFile(
            [],
            [f"第 1 行:表头缺少列 {', '.join(missing)}(应为 code,name,level,parent_code[,street_name][,kind])"],
            fatal=True,
        )
    index = {c: columns.index(c) for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in columns}
    seen: dict[str, int] = {}
    try:
        for line, record in enumerate(records, start=2):
            if not any(record):
                continue  # blank lines, common at the end of spreadsheets

            def get(column: str, record: list[str] = record) -> str:
                i = index.get(column)
                return record[i].strip() if i is not None and i < len(record) else ""

            row_errors = _row_errors(line, get, seen)
            if row_errors:
                errors.extend(row_errors)
                rejected.add(get("code"))
                continue
            rows.append(
                DivisionRow(
                    line=line,
                    code=get("code"),
                    name=get("name"),
                    level=int(get("level")),
                    parent_code=get("parent_code"),
                    street_name=get("street_name"),
                    kind=KIND_ALIASES.get(_kind_key(get("kind")), ""),
                )
            )
    except (_FileError, csv.Error) as exc:
        errors.append(f"文件格式错误:{exc}")
    return ParsedFile(rows, errors, rejected)


def _kind_key(value: str) -> str:
    return value.strip().lower()


def _row_errors(line: int, get: Any, seen: dict[str, int]) -> list[str]:
    errors: list[str] = []
    code, name, level_text, parent_code = get("code"), get("name"), get("level"), get("parent_code")
    kind = _kind_key(get("kind"))
    at = f"第 {line} 行:"
    if not CODE_RE.match(code):
        errors.append(f'{at}代码应为 12 位数字(实际为 "{code}")')
    elif code in seen:
        errors.append(f"{at}代码 {code} 与第 {seen[code]} 行重复")
    else:
        seen[code] = line
    level = int(level_text) if level_text.isdigit() else 0
    if not 1 <= level <= NBS_VILLAGE:
        errors.append(f'{at}层级应为 1–5 的数字(实际为 "{level_text}")')
    if not name:
        errors.append(f"{at}名称不能为空")
    elif len(name) > NAME_MAX:
        errors.append(f"{at}名称过长(最多 {NAME_MAX} 个字,实际 {len(name)} 个字)")
    if level > 1 and not CODE_RE.match(parent_code):
        errors.append(f'{at}上级代码应为 12 位数字(实际为 "{parent_code}")')
    elif level == NBS_VILLAGE and CODE_RE.match(code) and code[:9] != parent_code[:9]:
        errors.append(f"{at}村/社区代码 {code} 的前 9 位应与所属街道代码 {parent_code} 的前 9 位相同")
    elif level == NBS_TOWNSHIP and CODE_RE.match(code) and code[:6] != parent_code[:6]:
        errors.append(f"{at}街道代码 {code} 的前 6 位应与所属区县代码 {parent_code} 的前 6 位相同")
    if kind and kind not in KIND_ALIASES:
        errors.append(f'{at}类型应为 village/community/unit_community 或 村/社区/单位社区(实际为 "{kind}")')
    elif kind and level != NBS_VILLAGE:
        errors.append(f"{at}只有村/社区(第 5 级)可以填写类型")
    return errors


# --- Planning and writing ----------------------------------------------------


def sort_errors(errors: Iterable[str]) -> list[str]:
    """Errors in line order (row checks and cross-row checks are collected in
    two passes)."""

    def key(message: str) -> tuple[int, str]:
        match = re.match(r"^第 (\d+) 行", message)
        return (int(match.group(1)) if match else 0, message)

    return sorted(errors, key=key)
