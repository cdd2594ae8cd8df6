"""Revealing a resident's full ID number and phone: needs the capability (the
security administrator's, ADR 0009), is throttled per user with an alert on
bursts (`accounts.reveals`, ADR 0019), and always leaves an audit entry,
successful or denied."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.permissions import user_can
from grassroots.accounts.reveals import reveal_attempt
from grassroots.accounts.roles import Capability
from grassroots.core.audit import Action, audit_record
from grassroots.core.errors import PermissionDenied

from .models import Resident


def resident_reveal(*, actor: Any, resident: Resident, reason: str = "") -> dict[str, str]:
    allowed = user_can(actor, Capability.REVEAL_PERSONAL_DATA)
    reveal_attempt(actor=actor, allowed=allowed, obj=resident, reason=reason)
    if not allowed:
        audit_record(action=Action.REVEAL, actor=actor, obj=resident, result="denied", detail={"reason": reason})
        raise PermissionDenied("查看完整个人信息需要相应权限,本次尝试已记录。")
    audit_record(
        action=Action.REVEAL,
        actor=actor,
        obj=resident,
        detail={"fields": ["id_number", "phone"], "reason": reason},
    )
    return {"id_number": resident.id_number, "phone": resident.phone}
