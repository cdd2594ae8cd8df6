"""Writes of the big screen: issuing, using and revoking display tokens
(ADR 0049). The secret is returned once by `screen_token_issue` and never
stored: the database keeps its SHA-256 digest, so a copy of the database
opens no screen."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from functools import partial

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.actors import Actor
from grassroots.accounts.models import User
from grassroots.core.actors import SYSTEM
from grassroots.core.audit import Action as AuditAction
from grassroots.core.audit import audit_record
from grassroots.core.workflow import Workflow
from grassroots.regions.models import Level, Node

from .errors import ScreenConflict, ScreenError
from .models import ScreenToken
from .permissions import require_manage
from .states import TABLE, Action, State

MAX_DAYS = 366
LABEL_MAX = 60
# Recording every use would write on every refresh; once a minute is enough to see a screen is alive.
TOUCH_EVERY = datetime.timedelta(minutes=1)
SCREEN_LEVELS = (Level.SUBDISTRICT, Level.VILLAGE)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


WORKFLOW: Workflow[ScreenToken] = Workflow(
    model=ScreenToken,
    table=TABLE,
    not_allowed=lambda action, state: ScreenConflict(
        "transition_not_allowed", f"令牌当前为“{State(state).label}”,不能{Action(action).label}。"
    ),
    stale=lambda: ScreenConflict("stale_state", "令牌状态已被他人改变,请刷新后重试。"),
    audit_detail=lambda token: {"label": token.label, "hint": token.hint},
)


def screen_token_issue(*, actor: User, node: Node, label: str, days: int) -> tuple[ScreenToken, str]:
    """A new token for `node`'s screen, valid for `days` days; the token and
    its secret (shown once)."""
    require_manage(actor, node)
    label = (label or "").strip()
    if not label:
        raise ScreenError("label_required", "请填写屏幕名称,例如“街道指挥中心大屏”。", field="label")
    if len(label) > LABEL_MAX:
        raise ScreenError("label_too_long", f"屏幕名称不能超过 {LABEL_MAX} 个字。", field="label")
    if not 1 <= days <= MAX_DAYS:
        raise ScreenError("days_out_of_range", f"有效天数应在 1 到 {MAX_DAYS} 之间。", field="days")
    if node.level not in SCREEN_LEVELS:
        raise ScreenError("node_level", "大屏只能按街道或村/社区发放。", field="node")
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ScreenToken.objects.create(
            node=node,
            label=label,
            digest=token_digest(secret),
            hint=secret[:6],
            expires_at=timezone.now() + datetime.timedelta(days=days),
            created_by=actor,
        )
        audit_record(action=AuditAction.CREATE, actor=actor, obj=token, detail={"label": label, "days": days})
    return token, secret


def screen_token_revoke(*, actor: Actor, token: ScreenToken) -> ScreenToken:
    """Revoked at once: the screen's next refresh is refused."""
    permission = None if actor is SYSTEM else partial(require_manage, actor, token)
    return WORKFLOW.transition(token, action=Action.REVOKE, actor=actor, permission=permission)


def screen_token_use(*, secret: str) -> ScreenToken | None:
    """The active, unexpired token with this secret (its last use noted at
    most once a minute), or None."""
    if not secret or len(secret) > 100:
        return None
    now = timezone.now()
    token = (
        ScreenToken.objects.select_related("node")
        .filter(digest=token_digest(secret), state=State.ACTIVE, expires_at__gt=now)
        .first()
    )
    if token is not None and (token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY):
        ScreenToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def screen_tokens_expire() -> int:
    """Revoke every active token past its expiry (idempotent)."""
    count = 0
    for token in ScreenToken.objects.filter(state=State.ACTIVE, expires_at__lte=timezone.now()).order_by("pk"):
        screen_token_revoke(actor=SYSTEM, token=token)
        count += 1
    return count
