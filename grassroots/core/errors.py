"""Typed domain errors. Services raise them; the API turns them into RFC 7807
problems and pages turn them into form errors. Messages are Simplified Chinese."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain was broken. `code` is stable and machine-readable;
    `extra` holds machine-readable details that the API adds to the problem
    (e.g. the list of missing materials)."""

    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.extra: dict[str, Any] = {}


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "未找到该对象,或您无权查看。") -> None:
        super().__init__("not_found", message)


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, message: str = "您没有执行此操作的权限。") -> None:
        super().__init__("permission_denied", message)


class Conflict(DomainError):
    status = 409


class TooManyRequests(DomainError):
    """A per-user limit was reached; nothing was done."""

    status = 429
