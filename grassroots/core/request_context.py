"""What the current request means to the audit log: the client's address and
a request id (ADR 0027). `RequestContextMiddleware` sets it for each request;
`audit_record` reads it when its caller passes no request, so services keep
never seeing the request and their audit rows still carry the address.

A context variable, not a thread-local: it is per thread under WSGI and per
task under ASGI, and it is reset when the request ends. Celery tasks queued
from a request and run in a worker carry no context (the eager default runs
them inside the request and so they do)."""

from __future__ import annotations

import contextvars
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from .clientip import client_ip, from_trusted_proxy

__all__ = ["RequestContext", "RequestContextMiddleware", "current_request_context"]

REQUEST_ID_HEADER = "X-Request-ID"
# What nginx's $request_id and common tracing ids look like; anything else is replaced.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    request_id: str


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "grassroots_request_context", default=None
)


def current_request_context() -> RequestContext | None:
    return _current.get()


def _request_id(request: HttpRequest) -> str:
    """The proxy's id when it came through a trusted proxy (so audit rows
    match its access log), else a fresh one."""
    offered = str(request.META.get("HTTP_X_REQUEST_ID") or "")
    if offered and _REQUEST_ID.fullmatch(offered) and from_trusted_proxy(request):
        return offered
    return uuid.uuid4().hex


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = RequestContext(ip=client_ip(request), request_id=_request_id(request))
        token = _current.set(context)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[REQUEST_ID_HEADER] = context.request_id
        return response
