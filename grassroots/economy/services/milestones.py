"""Milestones of the project register: each planned for a day with the
progress the project reaches with it; added in planned order (later day,
higher progress) and reached in that order. The project's progress is the
last reached milestone's (kept on KeyProject.progress for lists and the
overview chart)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import require_in_scope

from ..errors import EconomyConflict, EconomyError
from ..models import KeyProject, Milestone
from .projects import DENIED


def milestone_add(
    *, actor: Actor, project: KeyProject, name: str, planned_on: datetime.date, progress: int
) -> Milestone:
    require_capability(actor, Capability.MANAGE_ECONOMY, DENIED)
    require_in_scope(actor, project)
    if not name.strip():
        raise EconomyError("name_required", "请填写节点名称。", field="name")
    if not 1 <= progress <= 100:
        raise EconomyError("progress_invalid", "进度应为 1 到 100 之间的整数。", field="progress")
    with transaction.atomic():
        KeyProject.objects.select_for_update().filter(pk=project.pk).first()
        last = project.milestones.order_by("-planned_on", "-id").first()
        if last is not None and planned_on < last.planned_on:
            raise EconomyError(
                "planned_out_of_order", f"计划日期不能早于上一节点({last.planned_on:%Y-%m-%d})。", field="planned_on"
            )
        if last is not None and progress <= last.progress:
            raise EconomyError("progress_not_rising", f"进度应高于上一节点的 {last.progress}%。", field="progress")
        row = Milestone.objects.create(project=project, name=name.strip(), planned_on=planned_on, progress=progress)
        audit_record(
            action=AuditAction.CREATE,
            actor=user_or_none(actor),
            obj=project,
            detail={"milestone": row.name, "planned_on": planned_on.isoformat(), "progress": progress},
        )
    return row


def milestone_reach(*, actor: Actor, project: KeyProject, day: datetime.date) -> Milestone:
    """Mark the project's next unreached milestone reached on `day`; the
    project's progress becomes that milestone's."""
    require_capability(actor, Capability.MANAGE_ECONOMY, DENIED)
    require_in_scope(actor, project)
    if day > timezone.localdate():
        raise EconomyError("day_future", "达成日期不能晚于今天。", field="day")
    with transaction.atomic():
        locked = KeyProject.objects.select_for_update().get(pk=project.pk)
        rows = list(locked.milestones.order_by("planned_on", "id"))
        pending = [m for m in rows if m.reached_on is None]
        if not pending:
            raise EconomyConflict("all_reached", "所有节点都已达成。")
        row = pending[0]
        reached = [m.reached_on for m in rows if m.reached_on is not None]
        if reached and day < max(reached):
            raise EconomyError("day_out_of_order", f"达成日期不能早于上一节点({max(reached):%Y-%m-%d})。", field="day")
        row.reached_on = day
        row.save(update_fields=["reached_on"])
        locked.progress = row.progress
        locked.save(update_fields=["progress", "updated_at"])
        project.progress = row.progress
        audit_record(
            action=AuditAction.UPDATE,
            actor=user_or_none(actor),
            obj=locked,
            detail={"milestone": row.name, "reached_on": day.isoformat(), "progress": row.progress},
        )
    return row
