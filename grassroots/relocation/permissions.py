"""Who may do what in the relocation ledger. Capability (403) and
jurisdiction (404) both apply: a unit belongs to its village, a project to
the node it covers. Village staff (the workers who take units through the
stages) and the subdistrict's relocation office move units and hand disputes
to the mediation centre; only the office imports and downloads the daily
report. The 征迁工作人员 (relocation worker, ADR 0046) moves only the units
assigned to them. The system (commands, the demo, imports) passes every check."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import actor_can, user_can
from grassroots.accounts.roles import Capability
from grassroots.core.actors import SystemActor
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.scoping import require_in_scope, user_scope_path


def can_work(actor: Any) -> bool:
    """May move the units of the subtree (village staff, the subdistrict)."""
    return actor_can(actor, Capability.WORK_RELOCATION)


def can_work_assigned(actor: Any) -> bool:
    """May move units, at least those assigned to them (the gate of the stage pages and endpoints)."""
    return can_work(actor) or actor_can(actor, Capability.WORK_ASSIGNED_RELOCATION)


def can_work_unit(actor: Any, unit: Any) -> bool:
    """May move this unit: any unit of the subtree, or a unit assigned to the actor."""
    if can_work(actor):
        return True
    return (
        actor_can(actor, Capability.WORK_ASSIGNED_RELOCATION)
        and unit.worker_id is not None
        and unit.worker_id == getattr(actor, "pk", None)
    )


def can_manage(actor: Any) -> bool:
    return actor_can(actor, Capability.MANAGE_RELOCATION)


def can_reveal(user: Any, unit: Any) -> bool:
    """The security administrator, or the worker the unit is assigned to (who
    has to call the household): each reveal is audited and throttled."""
    if user_can(user, Capability.REVEAL_PERSONAL_DATA):
        return True
    assigned = user_can(user, Capability.WORK_RELOCATION) or user_can(user, Capability.WORK_ASSIGNED_RELOCATION)
    return assigned and unit.worker_id is not None and unit.worker_id == user.pk


def require_work(actor: Actor, unit: Any) -> None:
    """A stage or a handover: scope (404) first, then the capability (403)."""
    require_in_scope(actor, unit)
    if not can_work_unit(actor, unit):
        if can_work_assigned(actor):
            raise PermissionDenied("该户未分配给您,只能办理分配给本人的征迁户。")
        raise PermissionDenied("只有村/社区或街道的征迁工作人员可以推进征迁户的环节。")


def project_in_view(actor: Any, project: Any) -> bool:
    """A project is seen from inside it (its node's subtree) and from above it."""
    if isinstance(actor, SystemActor):
        return True
    prefix = user_scope_path(actor)
    return prefix is not None and (project.path.startswith(prefix) or prefix.startswith(project.path))


def require_manage(actor: Actor, project: Any) -> None:
    if not project_in_view(actor, project):
        raise NotFound("未找到该项目,或不在您的辖区内。")
    if not can_manage(actor):
        raise PermissionDenied("只有街道征迁办公室可以导入征迁户和环节进度。")


def project_in_charge(actor: Any, project: Any) -> bool:
    """The project lies inside the actor's subtree (seeing it from below is not enough to change it)."""
    if isinstance(actor, SystemActor):
        return True
    prefix = user_scope_path(actor)
    return prefix is not None and project.path.startswith(prefix)


def require_edit(actor: Actor, project: Any) -> None:
    """Editing a project or its batches, reassigning its units: the relocation
    office (MANAGE_RELOCATION) of a node that holds the project."""
    if not project_in_view(actor, project):
        raise NotFound("未找到该项目,或不在您的辖区内。")
    if not can_manage(actor):
        raise PermissionDenied("只有街道征迁办公室可以修改征迁项目、批次和包户分配。")
    if not project_in_charge(actor, project):
        raise PermissionDenied("该项目由上级辖区的征迁办公室管理,您不能修改。")
