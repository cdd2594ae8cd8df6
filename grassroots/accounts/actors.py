"""The typed actor of services that the system may also call: a signed-in
user, the system (`core.actors.SYSTEM`: jobs, commands, the demo), or None for
an anonymous visitor on a public form (the service labels them). Services only
staff call take `User`."""

from __future__ import annotations

from typing import TypeAlias

from grassroots.core.actors import SystemActor

from .models import User

Actor: TypeAlias = User | SystemActor | None


def as_user(actor: Actor) -> User | None:
    """The user to record on a row (who uploaded, who created), or None for
    the system and anonymous visitors."""
    return actor if isinstance(actor, User) else None
