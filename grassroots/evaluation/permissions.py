"""Role permission of 评事: RUN_APPRAISALS (village and subdistrict staff).
Jurisdiction scoping is in the selectors."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.actors import SystemActor
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.scoping import path_in_scope

CAPABILITY = Capability.RUN_APPRAISALS


def can_run(user: Any) -> bool:
    return user_can(user, CAPABILITY)


def require_run(actor: Any, session: Any) -> None:
    """The system (a demo or a command) may run a session; a user needs the
    session's village in their subtree (404) and the capability (403)."""
    if isinstance(actor, SystemActor):
        return
    if not path_in_scope(session.path, actor):
        raise NotFound()
    if not can_run(actor):
        raise PermissionDenied("您的角色不能组织评议。")
