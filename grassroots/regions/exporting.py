"""The resident register's Excel export as a kind of the export gate
(ADR 0060): masked and within the row limit it downloads at once; unmasked
(full ID and phone numbers) or larger it needs the security administrator's
approval, and is then built from these stored parameters for the requester."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.utils import timezone

from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError
from grassroots.exports.registry import ExportKind, Table

from . import selectors
from .presentation import EXPORT_COLUMNS, export_row, resident_masked

# One download never holds more than this many residents.
EXPORT_LIMIT = 20000
UNMASKED_HEADERS = ["姓名", "性别", "年龄", "身份证号", "手机号", "住址"]


def _parse(query: Mapping[str, str], user: Any) -> dict[str, Any]:
    node_id = (query.get("node") or "").strip()
    if node_id and not node_id.isdigit():
        raise DomainError("node_invalid", "辖区编号无效。", field="node")
    if node_id:
        selectors.node_get_visible(user=user, node_id=int(node_id))  # 404 outside the user's subtree
    unmasked = (query.get("unmasked") or "").strip()
    if unmasked not in ("", "0", "1"):
        raise DomainError("unmasked_invalid", "unmasked 只能是 0 或 1。", field="unmasked")
    return {
        "node": int(node_id) if node_id else None,
        "q": (query.get("q") or "").strip()[:50],
        "unmasked": unmasked == "1",
    }


def _residents(user: Any, params: Mapping[str, Any]) -> Any:
    node = selectors.node_get_visible(user=user, node_id=params["node"]) if params.get("node") else None
    return selectors.residents_visible_to(user=user, node=node, query=params.get("q") or ""), node


def _count(user: Any, params: Mapping[str, Any]) -> int:
    residents, _node = _residents(user, params)
    return min(residents.count(), EXPORT_LIMIT)


def _unmasked_rows(residents: Any) -> Iterator[tuple[Any, ...]]:
    today = timezone.localdate()
    for resident in residents:
        masked = resident_masked(resident, today=today)
        yield (masked.name, masked.gender_display, masked.age, resident.id_number, resident.phone, masked.address)


def _build(user: Any, params: Mapping[str, Any]) -> Table:
    residents, node = _residents(user, params)
    chosen: Any = residents.select_related("household")[:EXPORT_LIMIT].iterator(chunk_size=2000)
    today = timezone.localdate()
    scope_label = node.label if node else (user.jurisdiction.label if user.jurisdiction else "全部")
    if params.get("unmasked"):
        headers, rows = UNMASKED_HEADERS, _unmasked_rows(chosen)
    else:
        headers = [heading for heading, _attribute in EXPORT_COLUMNS]
        rows = (export_row(resident_masked(r, today=today)) for r in chosen)
    return Table(
        filename=f"居民名单-{scope_label}{'-未脱敏' if params.get('unmasked') else ''}.xlsx",
        sheet_title="居民",
        headers=headers,
        rows=rows,
        object_type="regions.Resident",
        detail={"node": params.get("node"), "query": params.get("q") or "", "unmasked": bool(params.get("unmasked"))},
    )


RESIDENTS_EXPORT = ExportKind(
    key="regions-residents",
    label="居民名单",
    capabilities=(Capability.VIEW_RESIDENTS,),
    parse=_parse,
    count=_count,
    build=_build,
    back_url="regions:residents",
    can_unmask=True,
)
