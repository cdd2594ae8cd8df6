"""Projects and their batches: the subdistrict's relocation office opens a
project over its jurisdiction, adds the batches that units are imported
into, and edits both (name, description, dates, the batch's targets; each
change audited with what it was and what it became, ADR 0046)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction

from grassroots.accounts.actors import Actor
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.regions.models import Node

from ..errors import RelocationError
from ..models import Batch, BatchKind, Project, ProjectKind
from ..permissions import require_edit, require_manage


@dataclass
class ProjectInput:
    name: str
    kind: str
    node: Node
    implementer: str = ""
    target_date: datetime.date | None = None


def project_create(*, actor: Actor, data: ProjectInput) -> Project:
    project = Project(
        name=(data.name or "").strip(),
        kind=data.kind,
        node=data.node,
        implementer=(data.implementer or "").strip(),
        target_date=data.target_date,
    )
    project.path = data.node.path
    require_manage(actor, project)
    if not project.name or len(project.name) > 100:
        raise RelocationError("name_required", "请填写项目名称(不超过 100 个字)。", field="name")
    if project.kind not in ProjectKind.values:
        raise RelocationError("kind_invalid", "请选择项目类型。", field="kind")
    if len(project.implementer) > 100:
        raise RelocationError("implementer_too_long", "征收实施单位不能超过 100 个字。", field="implementer")
    try:
        with transaction.atomic():
            project.save()
            audit_record(action=AuditAction.CREATE, actor=actor, obj=project, detail={"name": project.name})
    except IntegrityError as exc:
        raise RelocationError("name_taken", "已有同名的征迁项目。", field="name") from exc
    return project


def batch_add(*, actor: Actor, project: Project, name: str, kind: str) -> Batch:
    """The next batch of `project` (numbered in order)."""
    require_manage(actor, project)
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise RelocationError("name_required", "请填写批次名称(不超过 100 个字)。", field="name")
    if kind not in BatchKind.values:
        raise RelocationError("kind_invalid", "请选择批次类型。", field="kind")
    try:
        with transaction.atomic():
            number = (project.batches.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            batch = Batch.objects.create(project=project, number=number, name=name, kind=kind)
            audit_record(action=AuditAction.CREATE, actor=actor, obj=batch, detail={"project": project.pk})
    except IntegrityError as exc:
        raise RelocationError("batch_taken", "批次号已被占用,请刷新后重试。", field="name") from exc
    return batch


DESCRIPTION_MAX = 2000
# The largest batch a plan may state (the station square has 11,698 units in three batches).
TARGET_UNITS_MAX = 100000


@dataclass
class ProjectEdit:
    """What the project edit page and its API twin collected."""

    name: str
    kind: str
    implementer: str = ""
    description: str = ""
    start_date: datetime.date | None = None
    target_date: datetime.date | None = None


def _changes(obj: Any, values: dict[str, Any]) -> dict[str, list[Any]]:
    """Field → [was, becomes] for what differs (as text, for the audit row)."""
    out: dict[str, list[Any]] = {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            out[name] = [None if old is None else str(old), None if value is None else str(value)]
    return out


def project_update(*, actor: Actor, project: Project, data: ProjectEdit) -> Project:
    """Change a project's name, kind, implementer, description and dates;
    nothing is written on any error, and an unchanged form writes nothing."""
    require_edit(actor, project)
    values: dict[str, Any] = {
        "name": (data.name or "").strip(),
        "kind": data.kind,
        "implementer": (data.implementer or "").strip(),
        "description": (data.description or "").strip(),
        "start_date": data.start_date,
        "target_date": data.target_date,
    }
    if not values["name"] or len(values["name"]) > 100:
        raise RelocationError("name_required", "请填写项目名称(不超过 100 个字)。", field="name")
    if values["kind"] not in ProjectKind.values:
        raise RelocationError("kind_invalid", "请选择项目类型。", field="kind")
    if len(values["implementer"]) > 100:
        raise RelocationError("implementer_too_long", "征收实施单位不能超过 100 个字。", field="implementer")
    if len(values["description"]) > DESCRIPTION_MAX:
        raise RelocationError("description_too_long", f"项目说明不能超过 {DESCRIPTION_MAX} 个字。", field="description")
    start, target = values["start_date"], values["target_date"]
    if start is not None and target is not None and target < start:
        raise RelocationError("dates_reversed", "目标完成日期不能早于启动日期。", field="target_date")
    changes = _changes(project, values)
    if not changes:
        return project
    if "name" in changes and Project.objects.filter(name=values["name"]).exclude(pk=project.pk).exists():
        raise RelocationError("name_taken", "已有同名的征迁项目。", field="name")
    try:
        with transaction.atomic():
            Project.objects.filter(pk=project.pk).update(**values)
            audit_record(action=AuditAction.UPDATE, actor=actor, obj=project, detail={"changes": changes})
    except IntegrityError as exc:
        raise RelocationError("name_taken", "已有同名的征迁项目。", field="name") from exc
    for name, value in values.items():
        setattr(project, name, value)
    return project


@dataclass
class BatchEdit:
    name: str
    kind: str
    target_units: Any = None
    target_rate: Any = None
    target_date: datetime.date | None = None


def _target_units(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise RelocationError("target_units_invalid", "计划户数应为整数。", field="target_units") from exc
    if number < 1 or number > TARGET_UNITS_MAX:
        raise RelocationError(
            "target_units_invalid", f"计划户数应在 1 到 {TARGET_UNITS_MAX} 之间。", field="target_units"
        )
    return number


def _target_rate(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        rate = Decimal(str(value).replace("%", "").strip())
    except InvalidOperation as exc:
        raise RelocationError(
            "target_rate_invalid", "目标签约率应为 0 到 100 之间的数字。", field="target_rate"
        ) from exc
    if not rate.is_finite() or rate < 0 or rate > 100:
        raise RelocationError("target_rate_invalid", "目标签约率应为 0 到 100 之间的数字。", field="target_rate")
    if rate != rate.quantize(Decimal("0.01")):
        raise RelocationError("target_rate_invalid", "目标签约率最多保留两位小数。", field="target_rate")
    return rate.quantize(Decimal("0.01"))


def batch_update(*, actor: Actor, batch: Batch, data: BatchEdit) -> Batch:
    """Change a batch's name, kind and targets (its number stays: imports and reports name it)."""
    require_edit(actor, batch.project)
    values: dict[str, Any] = {
        "name": (data.name or "").strip(),
        "kind": data.kind,
        "target_units": _target_units(data.target_units),
        "target_rate": _target_rate(data.target_rate),
        "target_date": data.target_date,
    }
    if not values["name"] or len(values["name"]) > 100:
        raise RelocationError("name_required", "请填写批次名称(不超过 100 个字)。", field="name")
    if values["kind"] not in BatchKind.values:
        raise RelocationError("kind_invalid", "请选择批次类型。", field="kind")
    changes = _changes(batch, values)
    if not changes:
        return batch
    with transaction.atomic():
        Batch.objects.filter(pk=batch.pk).update(**values)
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=batch,
            detail={"project": batch.project_id, "changes": changes},
        )
    for name, value in values.items():
        setattr(batch, name, value)
    return batch
