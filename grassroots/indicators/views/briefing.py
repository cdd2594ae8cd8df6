"""The monthly briefing (月度经济运行简报, issue 16 item 4, limited to the
indicators): a PDF for a node's month in the layout of a subdistrict report,
with each indicator's year-to-date figure and year-on-year change taken from
the same selector as the month's table, and the briefing's sentence."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from grassroots.accounts.permissions import current_user
from grassroots.core.documents import content_disposition, pdf_response
from grassroots.regions.models import Node

from .. import computations as calc
from .. import selectors
from ..services.briefing import briefing_sections
from ..states import State
from .common import place_of, view_required


def _sentence(rows: list[selectors.Row]) -> str:
    """ "规上工业总产值累计完成56亿元,同比增长12.0%;…" from the rows that have a figure."""
    parts = []
    for row in rows:
        if row.cumulative is None:
            continue
        text = f"{row.indicator.name}累计完成{calc.show_amount(row.cumulative)}{row.indicator.get_unit_display()}"
        if row.yoy is not None:
            text += f",同比{'增长' if row.yoy >= 0 else '下降'}{abs(row.yoy)}%"
        parts.append(text)
    return ";".join(parts) + "。" if parts else "本月尚无填报数据。"


def _context(node: Node, month: datetime.date) -> dict[str, Any]:
    rows = selectors.indicator_table(node=node, month=month)
    ledger = selectors.ledger_find(node=node, month=month)
    return {
        "node": node,
        "month": month,
        "rows": rows,
        "sentence": _sentence(rows),
        "sections": briefing_sections(node=node, month=month),
        "locked": ledger is not None and ledger.state == State.LOCKED,
        "state_label": State(ledger.state).label if ledger else State.DRAFT.label,
        "today": timezone.localdate(),
    }


@require_GET
@view_required
def briefing(request: HttpRequest) -> HttpResponse:
    place = place_of(request, current_user(request))
    if place.node is None:
        return redirect("indicators:table")
    return pdf_response(
        filename=f"{place.node.name}{place.month:%Y年%m月}经济运行简报.pdf",
        template_name="indicators/briefing_pdf.html",
        context=_context(place.node, place.month),
    )


@require_GET
@view_required
def briefing_word(request: HttpRequest) -> HttpResponse:
    """The same briefing as a Word-compatible document (HTML that Word and WPS
    open and edit), for the office that edits the briefing before it is sent."""
    place = place_of(request, current_user(request))
    if place.node is None:
        return redirect("indicators:table")
    html = render_to_string("indicators/briefing_pdf.html", {**_context(place.node, place.month), "word": True})
    response = HttpResponse(html, content_type="application/msword; charset=utf-8")
    name = f"{place.node.name}{place.month:%Y年%m月}经济运行简报.doc"
    response["Content-Disposition"] = content_disposition(name)
    return response
