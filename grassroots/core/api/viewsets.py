"""The base of a viewset over rows scoped to the caller's subtree (ADR 0030)."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import viewsets
from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class ScopedViewSet(viewsets.GenericViewSet):
    """A detail URL outside the caller's subtree answers 404 before the body
    is read, so a refused request says nothing about another branch's rows
    (ADR 0009, 0030): `visible(pk)` loads the row in scope or raises.
    `PERMISSIONS` names the permission of an action that needs more than
    `permission_classes`."""

    PERMISSIONS: ClassVar[dict[str, type[BasePermission]]] = {}

    def get_permissions(self) -> list[BasePermission]:
        special = self.PERMISSIONS.get(self.action or "")
        return [special()] if special is not None else super().get_permissions()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if kwargs.get("pk") is not None:
            self.visible(kwargs["pk"])

    def visible(self, pk: Any) -> Any:
        """The row `pk` in the caller's subtree (a 404 otherwise)."""
        raise NotImplementedError(f"{type(self).__name__} must say how it loads a row in scope")
