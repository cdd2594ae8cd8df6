"""Who may run deliberation: staff with CONVENE_MEETINGS, inside their
jurisdiction (outside answers 404 through the scoped selectors)."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.scoping import path_in_scope


def can_convene(user: Any) -> bool:
    return user_can(user, Capability.CONVENE_MEETINGS)


def require_convene(user: Any) -> None:
    if not can_convene(user):
        raise PermissionDenied("您的角色不能召集议事会议。")


def require_scope(user: Any, path: str) -> None:
    if not path_in_scope(path, user):
        raise NotFound()
