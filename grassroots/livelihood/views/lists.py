"""The care lists: coverage per grid and list (visited / due this month),
one list of one grid as a page, as a printable PDF and as a masked, audited
Excel export."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from grassroots.accounts.permissions import capability_required, current_user
from grassroots.accounts.roles import Capability
from grassroots.core.documents import excel_response, export_watermark, pdf_response
from grassroots.regions.models import Level, Node

from .. import selectors
from ..models import ListKind
from .common import list_kind, month_of, page, view_required

EXPORT_HEADERS = ["姓名", "性别", "年龄", "身份证号(脱敏)", "手机号(脱敏)", "住址", "说明", "本月走访"]


@require_GET
@view_required
def index(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    month = month_of(request)
    rows = selectors.coverage(user=user, month=month)
    year_start = timezone.localdate().replace(month=1, day=1)
    return page(
        request,
        "livelihood/index.html",
        {
            "month": month,
            "rows": rows,
            "totals": [(ListKind(k).label, c) for k, c in selectors.coverage_totals(rows).items()],
            "kinds": ListKind.choices,
            "rounds": selectors.health_round_totals(user=user, since=year_start),
            "tab": "lists",
        },
    )


@dataclass(frozen=True)
class ListPage:
    grid: Node
    kind: str
    month: datetime.date
    rows: list[selectors.CareRow]

    @property
    def kind_label(self) -> str:
        return str(ListKind(self.kind).label)

    @property
    def visited(self) -> int:
        return sum(1 for r in self.rows if r.visited_on)

    @property
    def filename(self) -> str:
        return f"{self.kind_label}-{self.grid.label}-{self.month:%Y-%m}"


def _list_page(request: HttpRequest, pk: int, kind: str) -> ListPage:
    user = current_user(request)
    kind = list_kind(kind)
    grid = selectors.grid_get_visible(user=user, pk=pk)
    month = month_of(request)
    return ListPage(grid, kind, month, selectors.care_list(user=user, grid=grid, kind=kind, month=month))


@require_GET
@view_required
def care_list(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    return page(request, "livelihood/list.html", {"list": _list_page(request, pk, kind), "tab": "lists"})


@require_GET
@view_required
def care_list_print(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    listing = _list_page(request, pk, kind)
    return pdf_response(
        filename=f"{listing.filename}.pdf",
        template_name="livelihood/list_pdf.html",
        context={"list": listing, "printed": timezone.localdate()},
        watermark=export_watermark(request.user),
    )


@require_GET
@view_required
@capability_required(Capability.EXPORT_DATA)
def care_list_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    listing = _list_page(request, pk, kind)
    rows = [
        (
            r.resident.name,
            r.resident.gender_display,
            r.resident.age,
            r.resident.id_number,
            r.resident.phone,
            r.resident.address,
            r.detail,
            r.visited_on.isoformat() if r.visited_on else "",
        )
        for r in listing.rows
    ]
    return excel_response(
        filename=f"{listing.filename}.xlsx",
        sheet_title=listing.kind_label[:30],
        headers=EXPORT_HEADERS,
        rows=rows,
        user=request.user,
        request=request,
        object_type="livelihood.CareList",
        detail={"grid": listing.grid.pk, "list": listing.kind, "month": f"{listing.month:%Y-%m}"},
    )


def _coverage_rows(rows: list[selectors.CoverageRow]) -> list[tuple[object, ...]]:
    """One row per grid (its village beside it: grid names repeat across
    villages) and a total row; per list: due, visited and the percentage."""
    village_len = Level.VILLAGE * Node.steplen
    villages = {n.path: n.label for n in Node.objects.filter(path__in={r.grid.path[:village_len] for r in rows})}

    def cells(by_kind: dict[str, selectors.Cell]) -> list[object]:
        out: list[object] = []
        for kind in ListKind.values:
            cell = by_kind[kind]
            out += [cell.due, cell.visited, f"{cell.percent}%" if cell.percent is not None else "—"]
        return out

    table = [(villages.get(r.grid.path[:village_len], ""), r.grid.label, *cells(r.cells)) for r in rows]
    if rows:
        table.append(("合计", "", *cells(selectors.coverage_totals(rows))))
    return table


@require_GET
@view_required
@capability_required(Capability.EXPORT_DATA)
def coverage_export(request: HttpRequest) -> HttpResponse:
    """The month's coverage per grid and list as Excel: counts only, no
    person appears; audited like every export."""
    user = current_user(request)
    month = month_of(request)
    rows = selectors.coverage(user=user, month=month)
    headers = ["村/社区", "网格"]
    for _kind, label in ListKind.choices:
        headers += [f"{label}应走访", f"{label}已走访", f"{label}覆盖率"]
    return excel_response(
        filename=f"走访覆盖率-{month:%Y-%m}.xlsx",
        sheet_title=f"{month:%Y-%m}走访覆盖率",
        headers=headers,
        rows=_coverage_rows(rows),
        user=request.user,
        request=request,
        object_type="livelihood.Coverage",
        detail={"month": f"{month:%Y-%m}", "grids": len(rows)},
    )
