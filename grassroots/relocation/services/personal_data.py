"""Revealing a household head's full ID number and phone: needs the
capability (the security administrator's, ADR 0009) or being the worker the
unit is assigned to (who has to call the household), is throttled with an
alert on bursts (`accounts.reveals`, ADR 0019), and always leaves an audit
entry, successful or denied. Everything else shows them masked."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.reveals import reveal_attempt
from grassroots.core.audit import Action, audit_record
from grassroots.core.errors import PermissionDenied
from grassroots.core.masking import mask_id_number, mask_name, mask_phone

from ..models import Unit
from ..permissions import can_reveal


def unit_reveal(*, actor: Any, unit: Unit, reason: str = "") -> dict[str, str]:
    allowed = can_reveal(actor, unit)
    reveal_attempt(actor=actor, allowed=allowed, obj=unit, reason=reason)
    if not allowed:
        audit_record(action=Action.REVEAL, actor=actor, obj=unit, result="denied", detail={"reason": reason})
        raise PermissionDenied("查看完整个人信息需要相应权限,本次尝试已记录。")
    audit_record(
        action=Action.REVEAL,
        actor=actor,
        obj=unit,
        detail={"fields": ["head_name", "head_id_number", "head_phone"], "reason": reason},
    )
    return {"name": unit.head_name, "id_number": unit.head_id_number or "", "phone": unit.head_phone or ""}


def head_masked(unit: Unit) -> dict[str, str]:
    """The household head as every list, page, export and API answer shows it."""
    return {
        "name": mask_name(unit.head_name),
        "id_number": mask_id_number(unit.head_id_number),
        "phone": mask_phone(unit.head_phone),
    }
