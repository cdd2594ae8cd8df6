"""Writes of the premises register: register a premises, correct it, close it
(with a reason) or take it back into use. The operator's phone is checked as
a mainland mobile number and kept encrypted; every change is audited (the
phone never in the audit detail) and indexed for search on commit."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.db import transaction

from grassroots.accounts.actors import Actor
from grassroots.accounts.permissions import require_capability
from grassroots.accounts.roles import Capability
from grassroots.addresses.models import Address
from grassroots.core.actors import user_or_none
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.scoping import require_in_scope
from grassroots.core.search import search_index
from grassroots.core.validators import PhoneError, normalise_mobile_number
from grassroots.regions.models import Level, Node

from ..errors import SafetyError
from ..models import Premises, PremisesEvent, PremisesKind, RiskLevel
from ..permissions import require_action
from ..states import Action, Activity
from . import workflow

SEARCH_TYPE = "safety.Premises"
PLACE_LEVELS = (Level.VILLAGE, Level.GRID)
MAX_REASON = 200
# What a correction compares and records (the phone only as "changed").
FIELDS = ("name", "kind", "risk_level", "node", "address", "location", "operator_name", "note")


@dataclass(frozen=True)
class PremisesInput:
    name: str
    kind: str
    risk_level: str
    node: Node
    operator_name: str
    # None keeps the phone on file (a page never sends the stored number back).
    operator_phone: str | None = None
    address: Address | None = None
    location: str = ""
    note: str = ""


def premises_index(premises: Premises) -> None:
    """(Re)index the name, type, operator and place text (ADR 0007)."""
    address = premises.address.full_text if premises.address_id and premises.address else ""
    search_index(
        obj_type=SEARCH_TYPE,
        obj_id=premises.pk,
        path=premises.path,
        text=f"{premises.name} {premises.get_kind_display()} {premises.operator_name} {premises.location} {address}",
    )


def _checked(actor: Actor, data: PremisesInput) -> tuple[PremisesInput, str | None]:
    """The input with its rules checked; the normalised phone (None: keep)."""
    name, operator = data.name.strip(), data.operator_name.strip()
    if not name:
        raise SafetyError("name_required", "请填写场所名称。", field="name")
    if not operator:
        raise SafetyError("operator_required", "请填写经营者或负责人。", field="operator_name")
    if data.kind not in PremisesKind.values:
        raise SafetyError("kind_invalid", "请选择有效的场所类型。", field="kind")
    if data.risk_level not in RiskLevel.values:
        raise SafetyError("risk_invalid", "请选择有效的风险等级。", field="risk_level")
    require_in_scope(actor, data.node)
    if data.node.level not in PLACE_LEVELS:
        raise SafetyError("node_level", "场所应登记在村/社区或网格下。", field="node")
    if data.address is not None:
        require_in_scope(actor, data.address)
        if not data.address.path.startswith(data.node.path):
            raise SafetyError(
                "address_outside", f"标准地址“{data.address.full_text}”不在所选村/网格内。", field="address"
            )
    phone = None if data.operator_phone is None else ""
    if data.operator_phone and data.operator_phone.strip():
        try:
            phone = normalise_mobile_number(data.operator_phone)
        except PhoneError as exc:
            raise SafetyError(exc.code, exc.message, field="operator_phone") from exc
    return data, phone


def _set(premises: Premises, data: PremisesInput, phone: str | None) -> dict[str, list[str]]:
    """Apply the input; what changed ({field: [before, after]}, the phone only named)."""
    values = {
        "name": data.name.strip(),
        "kind": data.kind,
        "risk_level": data.risk_level,
        "node": data.node,
        "address": data.address,
        "location": data.location.strip(),
        "operator_name": data.operator_name.strip(),
        "note": data.note.strip(),
    }
    changed: dict[str, list[str]] = {}
    for name in FIELDS:
        before, after = getattr(premises, name, None), values[name]
        if before != after:
            changed[name] = [str(before or ""), str(after or "")]
            setattr(premises, name, after)
    if phone is not None and (premises.operator_phone or "") != phone:
        changed["operator_phone"] = ["***", "***"]
        premises.operator_phone = phone
    return changed


def premises_create(*, actor: Actor, data: PremisesInput) -> Premises:
    """Register a premises in the actor's subtree."""
    require_capability(actor, Capability.INSPECT_SAFETY, "您的角色不能登记场所。")
    data, phone = _checked(actor, data)
    with transaction.atomic():
        premises = Premises(created_by=user_or_none(actor))
        _set(premises, data, phone)
        premises.save()
        PremisesEvent.objects.create(
            premises=premises, action="create", to_state=premises.state, actor=user_or_none(actor)
        )
        audit_record(action=AuditAction.CREATE, actor=user_or_none(actor), obj=premises, detail={"name": premises.name})
        transaction.on_commit(partial(premises_index, premises))
    return premises


def premises_edit(*, actor: Actor, premises: Premises, data: PremisesInput) -> Premises:
    """Correct a premises that is in use."""
    require_in_scope(actor, premises)
    require_capability(actor, Capability.INSPECT_SAFETY, "您的角色不能修改场所。")
    workflow.WORKFLOW.check_activity(Activity.EDIT, premises)
    data, phone = _checked(actor, data)
    with transaction.atomic():
        changed = _set(premises, data, phone)
        if not changed:
            return premises
        premises.save()
        PremisesEvent.objects.create(
            premises=premises,
            action=Activity.EDIT,
            from_state=premises.state,
            to_state=premises.state,
            actor=user_or_none(actor),
            data={"corrected": changed},
        )
        audit_record(
            action=AuditAction.UPDATE, actor=user_or_none(actor), obj=premises, detail={"corrected": sorted(changed)}
        )
        transaction.on_commit(partial(premises_index, premises))
    return premises


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise SafetyError("reason_required", "请填写关停原因。", field="reason")
    if len(reason) > MAX_REASON:
        raise SafetyError("reason_too_long", f"原因不能超过 {MAX_REASON} 个字。", field="reason")
    return reason


def premises_close(*, actor: Actor, premises: Premises, reason: str) -> Premises:
    """Close a premises (demolished, shut down, no longer used): it leaves the
    inspections' lists but keeps its record."""
    require_action(actor, Action.CLOSE, premises)
    workflow.WORKFLOW.check(Action.CLOSE, premises)
    reason = _reason(reason)
    return workflow.transition(
        actor=actor, premises=premises, action=Action.CLOSE, updates={"closed_reason": reason}, text=reason
    )


def premises_reopen(*, actor: Actor, premises: Premises) -> Premises:
    return workflow.transition(actor=actor, premises=premises, action=Action.REOPEN, updates={"closed_reason": ""})
