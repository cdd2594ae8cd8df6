"""Reads for account management (ADR 0025)."""

from __future__ import annotations

from django.db.models import QuerySet

from grassroots.core.errors import NotFound

from .models import RoleGrantRequest, User
from .roles import Capability


def _grants_visible_to(actor: User) -> QuerySet[RoleGrantRequest]:
    # Installation-wide, not tree-scoped: administrators are not placed in the tree.
    if not (actor.is_active and actor.can(Capability.GRANT_ADMIN_ROLES)):
        return RoleGrantRequest.objects.none()
    return RoleGrantRequest.objects.select_related("account", "requested_by", "decided_by")


def role_grant_list(*, actor: User, pending: bool, limit: int = 50) -> list[RoleGrantRequest]:
    grants = _grants_visible_to(actor)
    if pending:
        grants = grants.filter(state=RoleGrantRequest.State.PENDING).order_by("requested_at", "id")
    else:
        grants = grants.exclude(state=RoleGrantRequest.State.PENDING).order_by("-decided_at", "-id")
    return list(grants[:limit])


def role_grant_get(*, actor: User, pk: int) -> RoleGrantRequest:
    grant = _grants_visible_to(actor).filter(pk=pk).first()
    if grant is None:
        raise NotFound()
    return grant


def account_by_username(*, username: str) -> User | None:
    return User.objects.filter(username__iexact=username.strip()).first()
