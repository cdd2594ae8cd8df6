"""Who acts: a signed-in user, or the system itself (a scheduled job, a
command, an import). Services take an `actor`; the audit row and the event
row name it. Anonymous visitors (public forms) act as `None` with a label the
service gives (申请人…, 反映人)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


@dataclass(frozen=True)
class SystemActor:
    """The platform acting on its own (a beat job, a command)."""

    label: str = "系统"
    is_authenticated: bool = False  # never a user: no capability, no audit user

    def __str__(self) -> str:
        return self.label


SYSTEM = SystemActor()

Actor: TypeAlias = "AbstractBaseUser | SystemActor | None"


def is_user(actor: Any) -> bool:
    """A signed-in user (not the system, not an anonymous visitor)."""
    return actor is not None and bool(getattr(actor, "is_authenticated", False))


def user_or_none(actor: Any) -> Any:
    """The user to record on an audit or event row, or None."""
    return actor if is_user(actor) else None
