from __future__ import annotations

from typing import Any

from grassroots.accounts.actors import Actor, as_user

from ..models import CaseEvent, DisputeCase


def event_append(
    *,
    case: DisputeCase,
    kind: str,
    actor: Actor = None,
    text: str = "",
    action: str = "",
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one timeline event (staff actors only; the system has none)."""
    user = as_user(actor)
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=user,
        text=text,
        action=action,
        from_state=from_state,
        to_state=to_state,
        data=data or {},
    )
