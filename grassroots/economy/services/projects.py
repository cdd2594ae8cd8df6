"""Writes of the key-project ledger: a project (created or updated: stage,
next milestone, blockers, leader), a land-clearance plot, and one of a
plot's four parallel stages marked done on a day (or undone)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import require_in_scope
from grassroots.regions.models import Level, Node

from ..errors import EconomyError
from ..models import KeyProject, LandPlot, PlotStage, ProjectKind, ProjectLevel, ProjectStage

DENIED = "只有街道经管站可以维护重点项目台账。"


@dataclass(frozen=True)
class ProjectInput:
    name: str
    level: str
    stage: str
    next_milestone: str = ""
    next_milestone_on: datetime.date | None = None
    blockers: str = ""
    leader: str = ""
    project_type: str = ProjectKind.OTHER
    owner: str = ""
    budget: Decimal = Decimal("0")
    funding: str = ""


def _checked(data: ProjectInput) -> ProjectInput:
    if not data.name.strip():
        raise EconomyError("name_required", "请填写项目名称。", field="name")
    if data.level not in ProjectLevel.values:
        raise EconomyError("level_invalid", "请选择有效的项目级别。", field="level")
    if data.stage not in ProjectStage.values:
        raise EconomyError("stage_invalid", "请选择有效的项目阶段。", field="stage")
    if data.project_type not in ProjectKind.values:
        raise EconomyError("project_type_invalid", "请选择有效的项目类别。", field="project_type")
    if data.budget < 0 or data.budget != data.budget.quantize(Decimal("0.01")) or data.budget >= 10**14:
        raise EconomyError("budget_invalid", "总投资应为不小于零的金额,最多两位小数。", field="budget")
    return data


def project_save(*, actor: Actor, node: Node, data: ProjectInput, project: KeyProject | None = None) -> KeyProject:
    """Create a project at `node`, or update `project`."""
    require_capability(actor, Capability.MANAGE_ECONOMY, DENIED)
    require_in_scope(actor, node)
    if project is not None:
        require_in_scope(actor, project)
    data = _checked(data)
    name = data.name.strip()
    taken = KeyProject.objects.filter(name=name)
    if project is not None:
        taken = taken.exclude(pk=project.pk)
    if taken.exists():
        raise EconomyError("name_taken", f"已有名为“{name}”的重点项目。", field="name")
    with transaction.atomic():
        row = project or KeyProject(node=node)
        row.name = name
        row.level, row.stage = data.level, data.stage
        row.next_milestone, row.next_milestone_on = data.next_milestone.strip(), data.next_milestone_on
        row.blockers, row.leader = data.blockers.strip(), data.leader.strip()
        row.project_type, row.owner, row.budget = data.project_type, data.owner.strip(), data.budget
        row.funding = data.funding.strip()
        row.save()
        audit_record(
            action=AuditAction.UPDATE if project else AuditAction.CREATE,
            actor=user_or_none(actor),
            obj=row,
            detail={"name": name, "stage": row.stage},
        )
    return row


def plot_create(
    *, actor: Actor, village: Node, name: str, area_mu: Decimal, project: KeyProject | None = None
) -> LandPlot:
    require_capability(actor, Capability.MANAGE_ECONOMY, DENIED)
    require_in_scope(actor, village)
    if project is not None:
        require_in_scope(actor, project)
    if village.level != Level.VILLAGE:
        raise EconomyError("not_village", "地块应登记到村/社区。", field="village")
    if not name.strip():
        raise EconomyError("name_required", "请填写地块名称。", field="name")
    if area_mu <= 0 or area_mu != area_mu.quantize(Decimal("0.01")):
        raise EconomyError("area_invalid", "面积应为大于零的数,最多两位小数。", field="area_mu")
    with transaction.atomic():
        plot = LandPlot.objects.create(project=project, village=village, name=name.strip(), area_mu=area_mu)
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=plot, detail={"name": plot.name})
    return plot


def plot_stage_set(*, actor: Actor, plot: LandPlot, stage: str, day: datetime.date | None) -> LandPlot:
    """Mark one of the four parallel stages done on `day` (None: not done)."""
    require_in_scope(actor, plot)
    require_capability(actor, Capability.MANAGE_ECONOMY, DENIED)
    if stage not in PlotStage.values:
        raise EconomyError("stage_invalid", "请选择有效的环节。", field="stage")
    with transaction.atomic():
        setattr(plot, f"{stage}_on", day)
        plot.save(update_fields=[f"{stage}_on"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=user_or_none(actor),
            obj=plot,
            detail={"stage": stage, "day": day.isoformat() if day else None},
        )
    return plot
