"""Jurisdiction scoping: the one helper every app uses. A user sees their
jurisdiction node's subtree; rows carry a copy of their node's materialised
path, so scoping is one indexed prefix filter. Anything outside answers 404
(never 403), so a user cannot even learn that an object exists."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from .actors import SystemActor
from .errors import NotFound

M = TypeVar("M", bound=Model)


class PathNode(Protocol):
    """A node of the jurisdiction tree, as far as scoping needs it."""

    path: str


class ScopedUser(Protocol):
    """A user with a jurisdiction, as far as scoping needs one (the accounts
    app's `User`; core knows no app)."""

    is_authenticated: bool
    is_active: bool
    is_superuser: bool
    jurisdiction: PathNode | None


def user_scope_path(user: ScopedUser | Any) -> str | None:
    """The path prefix the user may see; None means nothing at all."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    node = user.jurisdiction
    if node is None:
        # Superusers without a node see everything (operations only);
        # anybody else without a jurisdiction sees nothing.
        return "" if user.is_superuser else None
    return str(node.path)


def scope_queryset(queryset: QuerySet[M], user: ScopedUser | Any, *, path_field: str = "path") -> QuerySet[M]:
    prefix = user_scope_path(user)
    if prefix is None:
        return queryset.none()
    if prefix == "":
        return queryset
    return queryset.filter(**{f"{path_field}__startswith": prefix})


def get_in_scope_or_404(queryset: QuerySet[M], user: ScopedUser | Any, *, path_field: str = "path", **lookup: Any) -> M:
    try:
        return scope_queryset(queryset, user, path_field=path_field).get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404("未找到该对象,或您无权查看。") from exc


def path_in_scope(path: str, user: ScopedUser | Any) -> bool:
    prefix = user_scope_path(user)
    return prefix is not None and path.startswith(prefix)


def require_in_scope(actor: ScopedUser | SystemActor | Any, row: Any) -> None:
    """`row` (anything with a materialised `path`) is in the actor's subtree,
    else 404. The system passes."""
    if isinstance(actor, SystemActor):
        return
    if not path_in_scope(row.path, actor):
        raise NotFound()
