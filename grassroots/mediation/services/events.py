from __future__ import annotations

from typing import Any

from ..models import CaseEvent, DisputeCase


def event_append(
    *,
    case: DisputeCase,
    kind: str,
    actor: Any = None,
    text: str = "",
    action: str = "",
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one timeline event (staff actors only; the system has none)."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
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
