"""Responsible units (责任单位): who handles a matter by default, from its
category's unit type: the matter's grid, its village/community committee, or
a subdistrict department. Units are created on first use."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from grassroots.regions.models import Level, Node

from .. import permissions
from ..models import Category, Matter, ResponsibleUnit, UnitKind

# Subdistrict departments by the `department_code` of categories (seeded in
# migration 0002). The names are the usual short forms used in Shandong.
DEPARTMENTS: dict[str, str] = {
    "urban": "街道城管办",
    "safety": "街道安监站",
    "social": "街道社会事务办",
    "economy": "街道经管站",
    "construction": "街道规划建设办",
    "stability": "街道综治中心",
    "labour": "街道劳动保障所",
    "environment": "街道生态环境办",
    "general": "街道党政综合办",
}


def _unit(*, node: Node, kind: str, code: str, name: str) -> ResponsibleUnit:
    lookup: dict[str, Any] = {"node": node, "code": code} if code else {"node": node, "kind": kind, "code": ""}
    unit = ResponsibleUnit.objects.filter(**lookup).order_by("pk").first()
    if unit is not None:
        return unit
    try:
        with transaction.atomic():  # a savepoint: a lost race must not spoil the caller's transaction
            return ResponsibleUnit.objects.create(node=node, kind=kind, code=code, name=name)
    except IntegrityError:
        unit = (
            ResponsibleUnit.objects.filter(**lookup).order_by("pk").first()
            or ResponsibleUnit.objects.filter(node=node, name=name).first()
        )
        if unit is None:
            raise
        return unit


def responsible_unit_default(*, matter: Matter, category: Category) -> ResponsibleUnit:
    """The unit that handles `matter` under `category` unless staff choose
    another: the matter's grid, its village/community committee, or the
    subdistrict department named by the category. Created on first use."""
    node = matter.node
    if category.unit_kind == UnitKind.SUBDISTRICT:
        subdistrict = permissions.ancestor_at_level(node, Level.SUBDISTRICT)
        code = category.department_code or "general"
        return _unit(node=subdistrict, kind=UnitKind.SUBDISTRICT, code=code, name=DEPARTMENTS.get(code, f"街道{code}"))
    village = permissions.ancestor_at_level(node, Level.VILLAGE)
    if category.unit_kind == UnitKind.GRID and node.level >= Level.GRID:
        grid = permissions.ancestor_at_level(node, Level.GRID)
        return _unit(node=grid, kind=UnitKind.GRID, code="", name=f"{village.label}{grid.name}")
    return _unit(node=village, kind=UnitKind.VILLAGE, code="", name=village.name)
