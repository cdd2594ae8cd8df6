from __future__ import annotations

from typing import Any

from grassroots.accounts.actors import Actor, as_user

from ..models import Matter, MatterEvent


def event_append(
    *,
    matter: Matter,
    kind: str,
    actor: Actor = None,
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
    user = as_user(actor)
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
