"""Import statistical divisions (统计用区划代码) into the region tree.

Input: CSV (UTF-8, with or without BOM) or XLSX with the header
``code,name,level,parent_code`` and optional ``street_name`` and ``kind``
columns. Levels are the National Bureau of Statistics' (NBS) levels: 1
province, 2 city, 3 district, 4 township/subdistrict (乡镇/街道), 5
village/community (村/社区). Our tree starts at the subdistrict, so NBS 4 is
:attr:`Level.SUBDISTRICT` (a root node) and NBS 5 is :attr:`Level.VILLAGE`;
rows of NBS 1–3 are accepted and skipped.

Everything is validated first and every error is collected with its line
number (line 1 is the header); if any error exists nothing is written.
Otherwise the writes happen in one transaction. Existing nodes are matched by
code and only renamed (name, short name, kind), never moved, so the paths
copied onto case rows stay valid. Re-importing the same file changes nothing.

New nodes get their materialised paths computed here and are inserted with
``bulk_create``: treebeard's ``add_child`` costs several queries per node,
which makes a city-sized file (2,931 villages) take minutes instead of
seconds. The result is checked by tests with ``Node.objects.find_problems()``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.db.models import F, Max
from django.db.models.functions import Substr

from .models import Level, Node, VillageKind

HUTIAN_CSV = Path(__file__).resolve().parent / "data" / "hutian_2023.csv"

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
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        prefix = "(试运行,未写入)" if self.dry_run else ""
        return (
            f"{prefix}新建 {self.created} 个,更新 {self.updated} 个,未变 {self.unchanged} 个,"
            f"跳过 {self.skipped} 个(街道以上层级)"
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


@dataclass
class _Wanted:
    """One node the file asks for, in our terms."""

    code: str
    name: str
    short_name: str
    level: int
    kind: str
    parent_code: str  # our parent (a subdistrict's code) or "" for a root
    line: int


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


def _township(code: str, name: str, line: int) -> _Wanted:
    return _Wanted(
        code=code,
        name=name,
        short_name=name[:SHORT_NAME_MAX],
        level=Level.SUBDISTRICT,
        kind="",
        parent_code="",
        line=line,
    )


def _plan(rows: list[DivisionRow], report: ImportReport, rejected_codes: set[str]) -> list[_Wanted]:
    """Turn rows into wanted nodes, parents first; adds cross-row errors."""
    townships: dict[str, _Wanted] = {}
    villages: list[_Wanted] = []
    file_levels = {row.code: row for row in rows}
    for row in rows:
        if row.level < NBS_TOWNSHIP:
            report.skipped += 1
        elif row.level == NBS_TOWNSHIP:
            townships[row.code] = _township(row.code, row.name, row.line)
    existing_parents = {
        n.code: n
        for n in Node.objects.filter(code__in={r.parent_code for r in rows if r.level == NBS_VILLAGE}).only(
            "code", "level", "name"
        )
    }
    for row in rows:
        if row.level != NBS_VILLAGE:
            continue
        at = f"第 {row.line} 行:"
        parent_row = file_levels.get(row.parent_code)
        parent_node = existing_parents.get(row.parent_code)
        if parent_row is not None and parent_row.level != NBS_TOWNSHIP:
            report.errors.append(f"{at}上级代码 {row.parent_code} 在文件中不是乡镇/街道(第 4 级)")
            continue
        if parent_row is None and parent_node is not None and parent_node.level != Level.SUBDISTRICT:
            report.errors.append(f"{at}上级代码 {row.parent_code} 在已有数据中不是街道")
            continue
        if row.parent_code in rejected_codes:
            continue  # its township row already has an error
        if parent_row is None and parent_node is None and row.parent_code not in townships:
            if not row.street_name:
                report.errors.append(f"{at}所属街道 {row.parent_code} 不在文件中也不在已有数据中,且未填写 street_name")
                continue
            townships[row.parent_code] = _township(row.parent_code, row.street_name, row.line)
        villages.append(
            _Wanted(
                code=row.code,
                name=row.name,
                short_name=short_name_for(row.name, Level.VILLAGE),
                level=Level.VILLAGE,
                kind=row.kind or infer_kind(row.name),
                parent_code=row.parent_code,
                line=row.line,
            )
        )
    return [*townships.values(), *villages]


def _paths_after(last_path: str | None, parent_path: str, count: int) -> list[str]:
    """`count` consecutive sibling paths after `last_path` (or the first ones)."""
    depth = len(parent_path) // Node.steplen + 1
    start = Node._str2int(last_path[-Node.steplen :]) + 1 if last_path else 1
    paths = [Node._get_path(parent_path, depth, start + i) for i in range(count)]
    if paths and len(paths[-1]) != depth * Node.steplen:
        raise OverflowError("path overflow")
    return paths


def _apply(wanted: list[_Wanted], report: ImportReport, *, dry_run: bool) -> None:
    codes = {w.code for w in wanted} | {w.parent_code for w in wanted if w.parent_code}
    existing = {n.code: n for n in Node.objects.filter(code__in=codes)}
    to_update: list[Node] = []
    new_roots: list[_Wanted] = []
    new_children: dict[str, list[_Wanted]] = defaultdict(list)
    for w in wanted:
        node = existing.get(w.code)
        at = f"第 {w.line} 行:"
        if node is None:
            if w.level == Level.SUBDISTRICT:
                new_roots.append(w)
            else:
                new_children[w.parent_code].append(w)
            continue
        if node.level != w.level:
            report.errors.append(f"{at}代码 {w.code} 在已有数据中是{node.get_level_display()},与文件中的层级不一致")
            continue
        if w.level == Level.VILLAGE:
            parent_path = node.path[: -Node.steplen]
            parent = existing.get(w.parent_code)
            if parent is None or parent.path != parent_path:
                report.errors.append(
                    f"{at}{w.name}({w.code})所属街道与已有数据不一致:文件中为 {w.parent_code},"
                    "导入不会移动已有节点,请先核实"
                )
                continue
        if (node.name, node.short_name, node.kind) == (w.name, w.short_name, w.kind):
            report.unchanged += 1
            continue
        node.name, node.short_name, node.kind = w.name, w.short_name, w.kind
        to_update.append(node)
    if report.errors:
        return
    report.updated = len(to_update)
    report.created = len(new_roots) + sum(len(v) for v in new_children.values())
    if dry_run:
        return
    if to_update:
        Node.objects.bulk_update(to_update, ["name", "short_name", "kind"], batch_size=500)
    if new_roots:
        last_root = Node.objects.filter(depth=1).aggregate(m=Max("path"))["m"]
        roots = [
            Node(path=path, depth=1, numchild=0, name=w.name, short_name=w.short_name, level=w.level, code=w.code)
            for w, path in zip(new_roots, _paths_after(last_root, "", len(new_roots)), strict=True)
        ]
        Node.objects.bulk_create(roots, batch_size=500)
        existing.update({n.code: n for n in Node.objects.filter(code__in=[w.code for w in new_roots])})
    if new_children:
        parents = {code: existing[code] for code in new_children}
        _bulk_add_children(
            parents,
            {
                code: [
                    Node(name=w.name, short_name=w.short_name, level=w.level, code=w.code, kind=w.kind) for w in items
                ]
                for code, items in new_children.items()
            },
        )


def _bulk_add_children(parents: dict[str, Node], children: dict[str, list[Node]]) -> None:
    """Append unsaved `children[key]` after the current last child of
    `parents[key]`: paths computed here, one bulk insert, one numchild update
    per parent. The caller holds a transaction."""
    if not children:
        return
    parent_list = list(parents.values())
    # The last existing child of every parent, in one query.
    child_len = {len(p.path) + Node.steplen for p in parent_list}
    last_child: dict[str, str] = {}
    for length in child_len:
        depth_parents = [p.path for p in parent_list if len(p.path) + Node.steplen == length]
        rows = (
            Node.objects.filter(depth=length // Node.steplen)
            .annotate(parent_path=Substr("path", 1, length - Node.steplen))
            .filter(parent_path__in=depth_parents)
            .values("parent_path")
            .annotate(last=Max("path"))
            .order_by()
        )
        last_child.update({r["parent_path"]: r["last"] for r in rows})
    new_nodes: list[Node] = []
    for key, nodes in children.items():
        parent = parents[key]
        for node, path in zip(nodes, _paths_after(last_child.get(parent.path), parent.path, len(nodes)), strict=True):
            node.path = path
            node.depth = parent.depth + 1
            node.numchild = 0
            new_nodes.append(node)
    Node.objects.bulk_create(new_nodes, batch_size=500)
    for key, nodes in children.items():
        Node.objects.filter(pk=parents[key].pk).update(numchild=F("numchild") + len(nodes))
        parents[key].numchild += len(nodes)


def divisions_import(*, source: str | Path | bytes | IO[bytes], dry_run: bool = False) -> ImportReport:
    """Validate the whole file, then (unless `dry_run` or an error was found)
    create and update the subdistrict and village nodes in one transaction."""
    report = ImportReport(dry_run=dry_run)
    parsed = read_rows(source)
    report.errors = list(parsed.errors)
    if parsed.fatal:
        return report
    with transaction.atomic():
        # Cross-row and database checks run on the rows that passed their own
        # checks, so one run reports every problem in the file.
        wanted = _plan(parsed.rows, report, parsed.rejected_codes)
        _apply(wanted, report, dry_run=dry_run or bool(report.errors))
        if report.errors:
            report.created = report.updated = report.unchanged = report.skipped = 0
            report.errors = sort_errors(report.errors)
    return report


def hutian_load() -> ImportReport:
    """Import the shipped 2023 divisions of 湖田街道 (idempotent)."""
    return divisions_import(source=HUTIAN_CSV)


def sort_errors(errors: Iterable[str]) -> list[str]:
    """Errors in line order (row checks and cross-row checks are collected in
    two passes)."""

    def key(message: str) -> tuple[int, str]:
        match = re.match(r"^第 (\d+) 行", message)
        return (int(match.group(1)) if match else 0, message)

    return sorted(errors, key=key)
