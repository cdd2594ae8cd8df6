"""What the staff pages share: the capability gate and the way a domain
error becomes a message (nothing changed)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from grassroots.accounts.permissions import deny
from grassroots.accounts.roles import Capability
from grassroots.core.errors import DomainError

from .. import permissions


def convene_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.can_convene(request.user):
            raise deny(request, Capability.CONVENE_MEETINGS)
        return view(request, *args, **kwargs)

    return wrapped


def error_message(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)
