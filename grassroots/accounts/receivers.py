"""Audit hooks for authentication events. These are infrastructure (Django's
auth signals and django-axes'), not domain logic, so signals are the right tool."""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from grassroots.core.audit import Action, audit_record

from .middleware import LOGIN_AT_KEY


@receiver(user_logged_in, dispatch_uid="grassroots_audit_login")
def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT_KEY] = time.time()
    audit_record(action=Action.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="grassroots_audit_logout")
def on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=Action.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="grassroots_audit_login_failed")
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    audit_record(
        action=Action.LOGIN_FAILED,
        request=request,
        result="failure",
        detail={"username": str(credentials.get("username", ""))[:150]},
    )


@receiver(user_locked_out, dispatch_uid="grassroots_audit_lockout")
def on_locked_out(sender: Any, request: HttpRequest | None, username: str | None = None, **kwargs: Any) -> None:
    audit_record(
        action=Action.LOCKOUT,
        request=request,
        result="denied",
        detail={"username": (username or "")[:150]},
    )
