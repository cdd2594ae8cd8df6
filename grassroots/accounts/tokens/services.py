"""API tokens (ADR 0058): created by their owner on the "API 令牌" page after
the second factor, scoped read or write, expiring, revocable by the owner and
by the security administrator. Only the key's SHA-256 digest is stored; the
key has 240 random bits, so a slow hash would add nothing but latency to
every API call."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError, NotFound

from ..permissions import actor_can
from ..roles import Capability
from .models import ApiToken

# Writes of last_used_at at most this often per token: not one UPDATE per call.
LAST_USED_GRANULARITY = datetime.timedelta(minutes=5)


class Act:
    CREATE = "api_token.create"
    REVOKE = "api_token.revoke"


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class Issued:
    token: ApiToken
    key: str


def api_token_create(*, actor: Any, name: str, scope: str, days: int) -> Issued:
    name = (name or "").strip()
    if not name:
        raise DomainError("invalid", "请填写令牌名称。", field="name")
    if scope not in ApiToken.Scope.values:
        raise DomainError("invalid", "请选择只读或读写。", field="scope")
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise DomainError("invalid", f"有效期应为 1 到 {settings.API_TOKEN_MAX_DAYS} 天。", field="days")
    key = secrets.token_hex(30)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        scope=scope,
        key_digest=key_digest(key),
        prefix=key[:8],
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit_record(action=Act.CREATE, actor=actor, obj=token, detail={"scope": scope, "days": days})
    return Issued(token=token, key=key)


def api_token_issue_for_tests(*, user: Any, scope: str = ApiToken.Scope.WRITE, days: int = 30) -> str:
    """A key for tests, commands and benchmarks that act as `user` through the
    API (the page is the only way for a person)."""
    return api_token_create(actor=user, name="自动化测试", scope=scope, days=days).key


def api_token_visible_to(*, actor: Any, everyone: bool = False) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("user", "revoked_by")
    if everyone and actor_can(actor, Capability.MANAGE_TWO_FACTOR):
        return tokens
    return tokens.filter(user=actor)


def api_token_revoke(*, actor: Any, pk: int) -> ApiToken:
    token = api_token_visible_to(actor=actor, everyone=True).filter(pk=pk).first()
    if token is None:
        raise NotFound("没有这个令牌。")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(action=Act.REVOKE, actor=actor, obj=token, detail={"owner": token.user_id})
    return token


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The live token of `key` (not revoked, not expired, active user), its
    last use recorded; None otherwise."""
    if not key:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__jurisdiction")
        .filter(key_digest=key_digest(key), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
