"""Who may do what with the WeChat channels: village and subdistrict staff
register their groups' robots (MANAGE_ROBOTS) inside their subtree; those who
may publish (PUBLISH) push a publication of their subtree to the groups and
the official account. Outside the subtree everything answers 404."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.scoping import path_in_scope


def require_scope(actor: Any, obj: Any) -> None:
    if not path_in_scope(obj.path, actor):
        raise NotFound()


def require_robot_manager(actor: Any) -> None:
    if not user_can(actor, Capability.MANAGE_ROBOTS):
        raise PermissionDenied("您的角色不能登记群机器人。")


def require_pusher(actor: Any) -> None:
    if not user_can(actor, Capability.PUBLISH):
        raise PermissionDenied("您的角色不能推送公示。")
