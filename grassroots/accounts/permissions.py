"""Role-permission layer for pages and API. Jurisdiction scoping is the other
layer (grassroots.core.scoping); every view passes both."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

from grassroots.core.actors import SystemActor
from grassroots.core.api.requests import refuse
from grassroots.core.audit import Action, audit_record
from grassroots.core.errors import PermissionDenied as DomainPermissionDenied

if TYPE_CHECKING:
    from .models import User


def current_user(request: HttpRequest) -> User:
    """The logged-in staff user of a page request (LoginRequiredMiddleware has
    already turned anonymous visitors away)."""
    return cast("User", request.user)


def user_can(user: Any, capability: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and (user.is_superuser or user.can(capability)))


def actor_can(actor: Any, capability: str) -> bool:
    """A user's capability check for services; the system may do anything."""
    return isinstance(actor, SystemActor) or user_can(actor, capability)


def require_capability(actor: Any, capability: str, message: str = "您的角色没有此项权限。") -> None:
    """A service's capability check: 403 with `message` unless `actor_can`."""
    if not actor_can(actor, capability):
        raise DomainPermissionDenied(message)


def deny(request: HttpRequest, capability: str) -> PermissionDenied:
    audit_record(
        action=Action.DENIED, request=request, result="denied", detail={"capability": capability, "path": request.path}
    )
    return PermissionDenied("您的角色没有此项权限。")


def capability_required(capability: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not user_can(request.user, capability):
                raise deny(request, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class HasCapability(BasePermission):
    """DRF permission: `permission_classes = [HasCapability.of(Capability.X)]`."""

    capability: str = ""
    message = "您的角色没有此项权限。"

    @classmethod
    def of(cls, capability: str) -> type[HasCapability]:
        return type(f"Has_{capability}", (cls,), {"capability": capability})

    def allowed(self, user: Any) -> bool:
        """Whether the user may; a subclass that accepts more than one
        capability overrides this (a denial is still audited under `capability`)."""
        return user_can(user, self.capability)

    def has_permission(self, request: Any, view: Any) -> bool:
        return self.allowed(request.user) or refuse(request, self.capability)
