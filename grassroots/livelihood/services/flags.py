"""Care flags: village staff and the subdistrict mark a resident as living
alone or disabled, or a household as low income, with where the fact comes
from (民政台账, 残联, 走访核实) and since when; end a flag with a reason and
restore it. People are never copied: a flag points at the register."""

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
from grassroots.regions.models import Household, Resident

from ..errors import LivelihoodConflict, LivelihoodError
from ..models import CareFlag, CareFlagEvent, FlagKind
from ..states import FlagAction, FlagState
from .workflow import transition


def _duplicate(kind: str, household: Household, resident: Resident | None, exclude: int | None = None) -> bool:
    qs = CareFlag.objects.filter(kind=kind, household=household, resident=resident, state=FlagState.ACTIVE)
    return (qs.exclude(pk=exclude) if exclude is not None else qs).exists()


def flag_set(
    *,
    actor: Actor,
    kind: str,
    resident: Resident | None = None,
    household: Household | None = None,
    source: str,
    since: datetime.date,
    note: str = "",
) -> CareFlag:
    """Put a resident (living alone, disabled) or a household (low income) on a care list."""
    if kind not in FlagKind.values:
        raise LivelihoodError("kind_invalid", "标记类型无效。", field="kind")
    if kind == FlagKind.LOW_INCOME:
        household = household or (resident.household if resident else None)
        resident = None
        if household is None:
            raise LivelihoodError("household_required", "低收入家庭请选择户。", field="household")
    else:
        if resident is None:
            raise LivelihoodError("resident_required", "请选择居民。", field="resident")
        household = resident.household
    require_in_scope(actor, household)
    require_capability(actor, Capability.MANAGE_CARE, "只有村/社区或街道工作人员可以维护关爱对象标记。")
    source = (source or "").strip()
    note = (note or "").strip()
    if not source:
        raise LivelihoodError("source_required", "请填写认定来源,例如民政台账、残联、走访核实。", field="source")
    if len(source) > 100:
        raise LivelihoodError("source_too_long", "认定来源不能超过 100 个字。", field="source")
    if len(note) > 200:
        raise LivelihoodError("note_too_long", "备注不能超过 200 个字。", field="note")
    if since > timezone.localdate():
        raise LivelihoodError("since_future", "认定日期不能晚于今天。", field="since")
    if _duplicate(kind, household, resident):
        raise LivelihoodConflict("flag_exists", f"已在“{FlagKind(kind).label}”名单中。", field="kind")
    with transaction.atomic():
        flag = CareFlag.objects.create(
            kind=kind,
            household=household,
            resident=resident,
            source=source,
            since=since,
            note=note,
            created_by=user_or_none(actor),
        )
        CareFlagEvent.objects.create(
            flag=flag, action="set", to_state=FlagState.ACTIVE, actor=user_or_none(actor), text=source
        )
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=flag, detail={"kind": kind})
    return flag


def flag_end(*, actor: Actor, flag: CareFlag, reason: str) -> CareFlag:
    reason = (reason or "").strip()
    require_in_scope(actor, flag)
    if not reason:
        raise LivelihoodError("reason_required", "请填写撤销原因,例如已搬离、不再符合条件。", field="reason")
    if len(reason) > 200:
        raise LivelihoodError("reason_too_long", "撤销原因不能超过 200 个字。", field="reason")
    return transition(actor=actor, flag=flag, action=FlagAction.END, updates={"ended_reason": reason}, text=reason)


def flag_restore(*, actor: Actor, flag: CareFlag) -> CareFlag:
    require_in_scope(actor, flag)
    if flag.state == FlagState.ENDED and _duplicate(flag.kind, flag.household, flag.resident, exclude=flag.pk):
        raise LivelihoodConflict("flag_exists", "已有一条有效的同类标记,不能恢复。")
    return transition(actor=actor, flag=flag, action=FlagAction.RESTORE, updates={"ended_reason": ""})
