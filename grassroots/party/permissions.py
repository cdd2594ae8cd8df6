"""Who may do what in party building. Membership data is sensitive, so it has
its own capabilities (VIEW_PARTY, MANAGE_PARTY) on top of jurisdiction
scoping (404 outside the subtree). A party member who is a staff user (any
role) also reads the published 红黄榜 and signs in to trainings by QR code,
and records the visits of their own 结对帮扶 pairs: those rights come from
the membership record, not from a role. The system passes every check."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.permissions import actor_can, require_capability
from grassroots.accounts.roles import Capability
from grassroots.core.actors import SystemActor
from grassroots.core.errors import PermissionDenied
from grassroots.core.scoping import require_in_scope

from .models import Member, Pair

MANAGE_MESSAGE = "只有党建工作人员(村/社区、街道)可以进行此项操作。"


def can_view(actor: Any) -> bool:
    return actor_can(actor, Capability.VIEW_PARTY)


def can_manage(actor: Any) -> bool:
    return actor_can(actor, Capability.MANAGE_PARTY)


def require_manage(actor: Any, row: Any, message: str = MANAGE_MESSAGE) -> None:
    """Scope (404) first, then the capability (403)."""
    require_in_scope(actor, row)
    require_capability(actor, Capability.MANAGE_PARTY, message)


def require_visit_recorder(actor: Any, pair: Pair, member: Member | None) -> None:
    """Party staff of the pair's subtree, or the pair's own member (`member`:
    the actor's active membership, if any)."""
    if isinstance(actor, SystemActor):
        return
    if member is not None and pair.member_id is not None and pair.member_id == member.pk:
        return
    require_in_scope(actor, pair)
    if not can_manage(actor):
        raise PermissionDenied("只有结对党员本人或党建工作人员可以登记帮扶记录。")
