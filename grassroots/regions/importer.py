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

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import transaction
from django.db.models import F, Max
from django.db.models.functions import Substr

from .divisions_file import (
    NBS_TOWNSHIP,
    NBS_VILLAGE,
    SHORT_NAME_MAX,
    DivisionRow,
    infer_kind,
    read_rows,
    short_name_for,
    sort_errors,
)
from .models import Level, Node

HUTIAN_CSV = Path(__file__).resolve().parent / "data" / "hutian_2023.csv"


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
class _Wanted:
    """One node the file asks for, in our terms."""

    code: str
    name: str
    short_name: str
    level: int
    kind: str
    parent_code: str  # our parent (a subdistrict's code) or "" for a root
    line: int


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
