"""Indicator definitions added and edited by the subdistrict (issue 16,
ADR 0049): name, unit, 规上/限上 scope, cumulative or monthly, source
department, order, active. Every change is audited with the fields changed.
Once figures are recorded, the unit and the kind are fixed: a 亿元 figure read
as 万元, or a year-to-date figure read as a month's, would silently change
every computed 累计 and 同比."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from grassroots.accounts.models import User
from grassroots.accounts.roles import Capability
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.errors import PermissionDenied

from ..errors import IndicatorError
from ..models import Indicator, Kind, Scope, Unit, Value

NAME_MAX = 60
DEPARTMENT_MAX = 60


@dataclass(frozen=True)
class DefinitionInput:
    name: str
    unit: str
    scope: str
    kind: str
    department: str = ""
    order: int = 0
    active: bool = True


def _require(actor: User) -> None:
    if not actor.can(Capability.MANAGE_INDICATORS):
        raise PermissionDenied("只有街道经管站可以新增或修改指标定义。")


def _clean(data: DefinitionInput, *, exclude: int | None = None) -> dict[str, Any]:
    name = (data.name or "").strip()
    if not name:
        raise IndicatorError("name_required", "请填写指标名称。", field="name")
    if len(name) > NAME_MAX:
        raise IndicatorError("name_too_long", f"指标名称不能超过 {NAME_MAX} 个字。", field="name")
    others = Indicator.objects.filter(name=name)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise IndicatorError("name_taken", f"已有名为“{name}”的指标。", field="name")
    for field, value, choices, label in (
        ("unit", data.unit, Unit, "计量单位"),
        ("scope", data.scope, Scope, "统计口径"),
        ("kind", data.kind, Kind, "报送方式"),
    ):
        if value not in choices.values:
            raise IndicatorError(f"{field}_invalid", f"请选择{label}。", field=field)
    department = (data.department or "").strip()
    if len(department) > DEPARTMENT_MAX:
        raise IndicatorError("department_too_long", f"来源部门不能超过 {DEPARTMENT_MAX} 个字。", field="department")
    if not 0 <= data.order <= 999:
        raise IndicatorError("order_out_of_range", "显示顺序应在 0 到 999 之间。", field="order")
    return {
        "name": name,
        "unit": data.unit,
        "scope": data.scope,
        "kind": data.kind,
        "department": department,
        "order": data.order,
        "active": data.active,
    }


def indicator_create(*, actor: User, data: DefinitionInput) -> Indicator:
    _require(actor)
    fields = _clean(data)
    with transaction.atomic():
        indicator = Indicator.objects.create(**fields)
        audit_record(action=AuditAction.CREATE, actor=actor, obj=indicator, detail={"name": indicator.name})
    return indicator


def indicator_update(*, actor: User, indicator: Indicator, data: DefinitionInput) -> Indicator:
    _require(actor)
    fields = _clean(data, exclude=indicator.pk)
    changed = {k: [str(getattr(indicator, k)), str(v)] for k, v in fields.items() if getattr(indicator, k) != v}
    if not changed:
        return indicator
    if ({"unit", "kind"} & set(changed)) and Value.objects.filter(indicator=indicator).exists():
        field = "unit" if "unit" in changed else "kind"
        raise IndicatorError(
            "definition_has_values",
            "该指标已有填报数据,不能再改计量单位或报送方式(会改变已填数据的含义);如需改变,请停用并新增指标。",
            field=field,
        )
    with transaction.atomic():
        for key, value in fields.items():
            setattr(indicator, key, value)
        indicator.save()
        audit_record(action=AuditAction.UPDATE, actor=actor, obj=indicator, detail={"changed": changed})
    return indicator
