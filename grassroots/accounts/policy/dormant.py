"""Dormant accounts (ADR 0059): an account nobody has signed in with for
ACCOUNT_DORMANT_DAYS is disabled by a daily job; the security administrator
sees them and re-enables one with a reason. Activity is the latest of the
last login, the account's creation (a new account that never logged in is not
dormant from day one: the demo's fresh accounts stay usable) and the last
re-enabling (so a re-enabled account is not disabled again the next night)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.db.models.lookups import LessThan
from django.utils import timezone

from grassroots.core.audit import Action, audit_record
from grassroots.core.errors import NotFound

from ..errors import AccountInvalid, AccountRuleDenied
from ..models import User
from ..roles import Capability


class DormantAction:
    DISABLE = "accounts.dormant_disable"
    REACTIVATE = "accounts.dormant_reactivate"


Action.LABELS.update({DormantAction.DISABLE: "停用长期未登录账号", DormantAction.REACTIVATE: "重新启用休眠账号"})

MSG_NOT_SECURITY_ADMIN = "只有安全管理员可以查看和重新启用因长期未登录而停用的账号。"


def _activity_at() -> Greatest:
    return Greatest(
        Coalesce("last_login", "date_joined", output_field=DateTimeField()),
        Coalesce("reactivated_at", "date_joined", output_field=DateTimeField()),
        output_field=DateTimeField(),
    )


def dormant_candidates(*, now: datetime | None = None) -> QuerySet[User]:
    """Active accounts whose last activity is older than the dormant period.
    Superusers are the operators' command-line accounts and are left alone."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ACCOUNT_DORMANT_DAYS)
    return User.objects.filter(LessThan(_activity_at(), cutoff), is_active=True, is_superuser=False)


def dormant_accounts_disable(*, now: datetime | None = None) -> list[int]:
    """Disable every dormant account, each with its audit row (the system is
    the actor). Idempotent: a second run the same day finds nothing."""
    now = now or timezone.now()
    disabled: list[int] = []
    for pk in list(dormant_candidates(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            # The condition is repeated in the update: a login between the read and here keeps the account.
            changed = dormant_candidates(now=now).filter(pk=pk).update(is_active=False, dormant_disabled_at=now)
            if not changed:
                continue
            account = User.objects.get(pk=pk)
            audit_record(
                action=DormantAction.DISABLE,
                obj=account,
                detail={
                    "days": settings.ACCOUNT_DORMANT_DAYS,
                    "last_login": account.last_login.isoformat() if account.last_login else None,
                },
            )
        disabled.append(pk)
    return disabled


def _require_security_admin(actor: User, account: User | None = None) -> None:
    if not (actor.is_active and actor.can(Capability.MANAGE_DORMANT)):
        audit_record(
            action=Action.DENIED, actor=actor, obj=account, result="denied", detail={"rule": "not_security_admin"}
        )
        raise AccountRuleDenied("not_security_admin", MSG_NOT_SECURITY_ADMIN)


def dormant_account_list(*, actor: User, limit: int = 200) -> list[User]:
    """Accounts the dormant job disabled and nobody re-enabled yet, newest first."""
    _require_security_admin(actor)
    accounts = User.objects.filter(is_active=False, dormant_disabled_at__isnull=False).select_related("jurisdiction")
    return list(accounts.order_by("-dormant_disabled_at", "username")[:limit])


def dormant_account_get(*, actor: User, pk: int) -> User:
    _require_security_admin(actor)
    account = User.objects.filter(pk=pk, is_active=False, dormant_disabled_at__isnull=False).first()
    if account is None:
        raise NotFound("没有这个因长期未登录而停用的账号(可能已被重新启用)。")
    return account


def dormant_account_reactivate(*, actor: User, account: User, reason: str) -> User:
    """Re-enable a dormant-disabled account with a reason (audited). The
    reactivation counts as activity, so the next daily run keeps it."""
    _require_security_admin(actor, account)
    reason = reason.strip()
    if len(reason) < 4:
        raise AccountInvalid("reason_required", "请填写重新启用的理由(至少 4 个字)。", field="reason")
    now = timezone.now()
    with transaction.atomic():
        changed = User.objects.filter(pk=account.pk, is_active=False, dormant_disabled_at__isnull=False).update(
            is_active=True, dormant_disabled_at=None, reactivated_at=now
        )
        if not changed:
            raise NotFound("没有这个因长期未登录而停用的账号(可能已被重新启用)。")
        account.refresh_from_db()
        audit_record(action=DormantAction.REACTIVATE, actor=actor, obj=account, detail={"reason": reason})
    return account
