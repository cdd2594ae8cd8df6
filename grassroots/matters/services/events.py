from __future__ import annotations

from typing import Any

from ..models import Matter, MatterEvent


def event_append(
    *,
    matter: Matter,
    kind: str,
    actor: Any = None,
    actor_label: str = "",
    text: str = "",
    public: bool = False,
    action: str = "",
    from_state: str = "",
    to_state: str = "",
    data: dict[str, Any] | None = None,
) -> MatterEvent:
    """Append one timeline event. Staff actors are recorded as users;
    residents and the system by a label."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return MatterEvent.objects.create(
        matter=matter,
        kind=kind,
        actor=user,
        actor_label=actor_label if user is None else "",
        text=text,
        public=public,
        action=action,
        from_state=from_state,
        to_state=to_state,
        data=data or {},
    )
