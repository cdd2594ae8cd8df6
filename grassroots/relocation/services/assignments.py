"""Reassigning units to another worker (包户调整, ADR 0046): a selection of
units, or every unit of one worker in one batch, goes to another worker who
can take them (a relocation worker, village or subdistrict staff whose
subtree holds each unit's village). One UPDATE moves them, one event row per
unit says from whom to whom and why, one audit row records the whole move;
the new worker's list shows them at once (it is a query on `worker`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor, as_user
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record

from .. import selectors
from ..errors import RelocationConflict, RelocationError
from ..models import Project, Unit, UnitEvent
from ..permissions import require_edit

REASON_MIN = 4
REASON_MAX = 500
# A selection posted from the page or the API (a whole worker's batch goes by filter, not by ids).
MAX_SELECTED = 1000


@dataclass
class ReassignInput:
    """Either `units` (ids), or `from_worker` with `batch`: all of that worker's units in the batch."""

    to_worker: Any
    reason: str
    units: list[int] = field(default_factory=list)
    from_worker: Any = None
    batch: Any = None


def _reason(text: str) -> str:
    reason = (text or "").strip()
    if len(reason) < REASON_MIN:
        raise RelocationError("reason_required", f"请写明调整原因(至少 {REASON_MIN} 个字)。", field="reason")
    if len(reason) > REASON_MAX:
        raise RelocationError("reason_too_long", f"调整原因不能超过 {REASON_MAX} 个字。", field="reason")
    return reason


def _rows(actor: Actor, project: Project, data: ReassignInput) -> list[dict[str, Any]]:
    units = selectors.units_visible_to(user=actor).filter(project=project)
    if data.units:
        ids = sorted(set(data.units))
        if len(ids) > MAX_SELECTED:
            raise RelocationError(
                "too_many", f"一次最多勾选 {MAX_SELECTED} 户;整批调整请选择原工作人员和批次。", field="units"
            )
        rows: list[dict[str, Any]] = [
            dict(r) for r in units.filter(pk__in=ids).values("pk", "number", "path", "state", "worker_id")
        ]
        if len(rows) != len(ids):
            raise RelocationError(
                "units_unknown", "所选征迁户中有不属于该项目或不在您辖区内的,请刷新后重选。", field="units"
            )
        return rows
    if data.from_worker and data.batch:
        if not project.batches.filter(pk=data.batch).exists():
            raise RelocationError("batch_unknown", "该项目没有这个批次。", field="batch")
        return [
            dict(r)
            for r in units.filter(batch_id=data.batch, worker_id=data.from_worker)
            .order_by("number")
            .values("pk", "number", "path", "state", "worker_id")
        ]
    raise RelocationError("nothing_selected", "请勾选要调整的征迁户,或选择原工作人员和批次。", field="units")


def units_reassign(*, actor: Actor, project: Project, data: ReassignInput) -> int:
    """Move the chosen units to `data.to_worker`; the number moved. Nothing
    is written on any error."""
    require_edit(actor, project)
    reason = _reason(data.reason)
    target = selectors.worker_candidates(project=project).filter(pk=data.to_worker).first() if data.to_worker else None
    if target is None:
        raise RelocationError("worker_invalid", "请选择接手的征迁工作人员。", field="to_worker")
    rows = [r for r in _rows(actor, project, data) if r["worker_id"] != target.pk]
    if not rows:
        raise RelocationError(
            "nothing_to_move",
            "没有需要调整的征迁户(所选户已由该工作人员负责,或原工作人员在该批次没有包户)。",
            field="units",
        )
    prefix = target.jurisdiction.path if target.jurisdiction else None
    outside = [r["number"] for r in rows if prefix is None or not r["path"].startswith(prefix)]
    if outside:
        shown = "、".join(outside[:5]) + (" 等" if len(outside) > 5 else "")
        raise RelocationError(
            "worker_out_of_scope", f"{target}的辖区不含以下征迁户所在村/社区:{shown}。", field="to_worker"
        )
    by_id = {r["pk"]: r for r in rows}
    user = as_user(actor)
    with transaction.atomic():
        # Only units still with the worker this page showed: a concurrent change is a conflict, not overwritten.
        moved = 0
        for worker_id in {r["worker_id"] for r in rows}:
            ids = [pk for pk, r in by_id.items() if r["worker_id"] == worker_id]
            moved += Unit.objects.filter(pk__in=ids, worker_id=worker_id).update(
                worker=target, updated_at=timezone.now()
            )
        if moved != len(rows):
            raise RelocationConflict("stale_assignment", "部分征迁户的包户人员已被他人调整,请刷新后重试。")
        UnitEvent.objects.bulk_create(
            UnitEvent(
                unit_id=r["pk"],
                action="reassign",
                from_state=r["state"],
                to_state=r["state"],
                actor=user,
                text=reason,
                data={"from": r["worker_id"], "to": target.pk},
            )
            for r in rows
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=user,
            obj=project,
            detail={"reassign": len(rows), "to": target.pk, "units": sorted(by_id), "reason": reason},
        )
    return len(rows)
