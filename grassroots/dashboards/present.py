"""A dashboard as plain data with the link behind every figure: what the API
answers and what the page renders and charts (one mapping, so the two never
drift). A panel the user may not see is absent, not empty."""

from __future__ import annotations

from typing import Any

from grassroots.matters.models import State as MatterState
from grassroots.matters.selectors.figures import MatterFigures
from grassroots.regions.models import Node

from . import links
from .selectors import Dashboard
from .selectors.matters import MattersPanel
from .selectors.work import (
    AddressesPanel,
    CarePanel,
    IndicatorsPanel,
    KeyVillagesPanel,
    MediationPanel,
    RegistrationPanel,
    RelocationPanel,
    SafetyPanel,
)

OPEN = "open"


def _node(node: Node) -> dict[str, Any]:
    return {"id": node.pk, "label": node.label, "level": node.level, "level_label": node.get_level_display()}


def _figure(value: int, url: str) -> dict[str, Any]:
    return {"value": value, "url": url}


def _headline(node: Node, figures: MatterFigures) -> dict[str, Any]:
    return {
        "open": _figure(figures.open, links.matter_queue(node, state=OPEN)),
        "overdue": _figure(figures.overdue, links.matter_queue(node, overdue="late")),
        "late3": _figure(figures.late3, links.matter_queue(node, overdue="late3")),
    }


def _matters(node: Node, panel: MattersPanel) -> dict[str, Any]:
    return {
        **_headline(node, panel.figures),
        "by_state": [
            {
                "state": value,
                "label": str(label),
                "value": panel.figures.by_state.get(value, 0),
                "url": links.matter_queue(node, state=value),
            }
            for value, label in MatterState.choices
        ],
        "children": [
            {**_node(child), "dashboard_url": links.dashboard(child, days=panel.days), **_headline(child, figures)}
            for child, figures in panel.children
        ],
        "trend": [
            {
                "day": point.day.isoformat(),
                "created": point.created,
                "closed": point.closed,
                "open_at_end": point.open_at_end,
                "overdue_at_end": point.overdue_at_end,
                "late3_at_end": point.late3_at_end,
                "created_url": links.matter_queue_created(node, day=point.day),
            }
            for point in panel.trend
        ],
    }


def _key_villages(panel: KeyVillagesPanel) -> dict[str, Any]:
    return {
        "week_start": panel.week_start.isoformat(),
        "decided": panel.decided,
        "url": links.weekly(),
        "villages": [{**_node(v), "dashboard_url": links.dashboard(v)} for v in panel.villages],
    }


def _mediation(node: Node, panel: MediationPanel) -> dict[str, Any]:
    return {
        "total": panel.total,
        "rows": [
            {
                "source": row.key,
                "label": row.label,
                "total": _figure(row.total, links.mediation_queue(node, source=row.key)),
                "active": _figure(row.active, links.mediation_queue(node, source=row.key, active=True)),
            }
            for row in panel.rows
        ],
    }


def _registration(panel: RegistrationPanel) -> dict[str, Any]:
    return {
        "months": [
            {
                "month": m.month.strftime("%Y-%m"),
                "accepted": m.accepted,
                "issued": m.issued,
                "url": links.registration_month(start=m.month, end=m.last_day),
            }
            for m in panel.months
        ]
    }


def _safety(node: Node, panel: SafetyPanel) -> dict[str, Any]:
    total = panel.total
    url = links.safety_statistics(node)
    return {
        "premises": _figure(total.premises, url),
        "inspections": _figure(total.inspections, url),
        "hazards": _figure(total.hazards, url),
        "closed": _figure(total.closed, url),
        "overdue": _figure(total.overdue, url),
        "rate": total.rate,
        "trend": [
            {
                "month": row.month.strftime("%Y-%m"),
                "inspections": row.inspections,
                "hazards": row.hazards,
                "closed": row.closed,
                "url": links.safety_month(node, month=row.month),
            }
            for row in panel.trend
        ],
    }


def _addresses(node: Node, panel: AddressesPanel) -> dict[str, Any]:
    return {
        "total": _figure(panel.total, links.addresses(node, verified=False)),
        "verified": _figure(panel.verified, links.addresses(node, verified=True)),
        "percent": None if panel.percent is None else str(panel.percent),
    }


def _relocation(panel: RelocationPanel) -> dict[str, Any]:
    return {
        "rows": [
            {
                "project_id": row.project_id,
                "name": row.name,
                "total": row.total,
                "signed": row.signed,
                "rate": None if row.rate is None else str(row.rate),
                "url": links.relocation_project(row.project_id),
            }
            for row in panel.rows
        ]
    }


def _care(panel: CarePanel) -> dict[str, Any]:
    return {
        "month": panel.month.strftime("%Y-%m"),
        "cells": [
            {
                "kind": cell.kind,
                "label": cell.label,
                "visited": cell.visited,
                "due": cell.due,
                "percent": cell.percent,
                "url": links.care(panel.month, grid=panel.grid, kind=cell.kind),
            }
            for cell in panel.cells
        ],
    }


def _indicators(node: Node, panel: IndicatorsPanel) -> dict[str, Any]:
    month = panel.month
    return {
        "month": month.strftime("%Y-%m") if month else None,
        "url": links.indicators(node, month=month) if month else None,
        "rows": [
            {
                "indicator": row.indicator.pk,
                "name": row.indicator.name,
                "unit": row.indicator.get_unit_display(),
                "monthly": row.show["monthly"],
                "cumulative": row.show["cumulative"],
                "yoy": row.show["yoy"],
                "yoy_value": None if row.yoy is None else float(row.yoy),
                "url": links.indicator_trend(row.indicator.pk, node, month=month),
            }
            for row in panel.rows
            if month is not None
        ],
    }


def dashboard_data(dashboard: Dashboard) -> dict[str, Any]:
    node = dashboard.node
    data: dict[str, Any] = {
        "node": _node(node) if node is not None else None,
        "today": dashboard.today.isoformat(),
        "days": dashboard.days,
        "panels": dashboard.panels,
    }
    if dashboard.registration is not None:
        data["registration"] = _registration(dashboard.registration)
    if node is None:
        return data
    if dashboard.matters is not None:
        data["matters"] = _matters(node, dashboard.matters)
    if dashboard.key_villages is not None:
        data["key_villages"] = _key_villages(dashboard.key_villages)
    if dashboard.mediation is not None:
        data["mediation"] = _mediation(node, dashboard.mediation)
    if dashboard.safety is not None:
        data["safety"] = _safety(node, dashboard.safety)
    if dashboard.addresses is not None:
        data["addresses"] = _addresses(node, dashboard.addresses)
    if dashboard.relocation is not None:
        data["relocation"] = _relocation(dashboard.relocation)
    if dashboard.care is not None:
        data["care"] = _care(dashboard.care)
    if dashboard.indicators is not None:
        data["indicators"] = _indicators(node, dashboard.indicators)
    return data
