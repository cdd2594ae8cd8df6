"""Projects and their batches: the subdistrict's relocation office opens a
project over its jurisdiction and adds the batches that units are imported
into."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from grassroots.accounts.actors import Actor
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.regions.models import Node

from ..errors import RelocationError
from ..models import Batch, BatchKind, Project, ProjectKind
from ..permissions import require_manage


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
