"""Password rules and the password's life: validators for Django's
AUTH_PASSWORD_VALIDATORS, the history of hashes, expiry and the forced change
of a password somebody else set (ADR 0059)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from ..models import PasswordHistory, User

COMMON_ZH_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords_zh.txt"
_NOT_ALNUM = re.compile(r"[^0-9a-z]")


@cache
def common_passwords_zh() -> frozenset[str]:
    lines = COMMON_ZH_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


class ChineseCommonPasswordValidator:
    """Refuses weak passwords common in China (woaini1314, a1b2c3d4 …), also
    when symbols or capitals were added to pass the class rule (Woaini@1314)."""

    def validate(self, password: str, user: object = None) -> None:
        lowered = password.strip().lower()
        words = common_passwords_zh()
        if lowered in words or _NOT_ALNUM.sub("", lowered) in words:
            raise ValidationError(
                "这个密码是常见弱密码(如 woaini1314、a1b2c3d4 一类),很容易被猜中,请换一个。",
                code="password_common_zh",
            )

    def get_help_text(self) -> str:
        return "不能使用常见弱密码(如拼音加生日、键盘连续键、woaini1314)。"


class PasswordHistoryValidator:
    """None of the account's last `count` passwords may be chosen again."""

    def __init__(self, count: int = 5) -> None:
        self.count = count

    def validate(self, password: str, user: Any = None) -> None:
        if not isinstance(user, User) or user.pk is None:
            return
        recent = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count]
        # The current hash counts even when the history predates it (accounts older than the policy).
        hashes = list(recent)
        if user.has_usable_password() and user.password not in hashes:
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                "新密码不能与最近 %(n)d 次使用过的密码相同。",
                code="password_reused",
                params={"n": self.count},
            )

    def get_help_text(self) -> str:
        return f"不能与最近 {self.count} 次使用过的密码相同。"


def password_history_record(*, account: User, by_administrator: bool) -> None:
    """After a password was set and saved: keep its hash, stamp the time, and
    require a change at the next login when somebody else chose it. Call it in
    the same transaction as the save."""
    now = timezone.now()
    if account.has_usable_password():
        PasswordHistory.objects.create(user=account, password=account.password, created_at=now)
        keep = PasswordHistory.objects.filter(user=account).values_list("pk", flat=True)[
            : settings.PASSWORD_HISTORY_COUNT
        ]
        PasswordHistory.objects.filter(user=account).exclude(pk__in=list(keep)).delete()
    User.objects.filter(pk=account.pk).update(password_changed_at=now, must_change_password=by_administrator)
    account.password_changed_at = now
    account.must_change_password = by_administrator


def password_expires_at(account: User) -> datetime | None:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days:
        return None
    return account.password_changed_at + timedelta(days=days)


def password_change_required(account: Any) -> str | None:
    """Why this signed-in account must change its password first (a Chinese
    sentence), or None."""
    if not isinstance(account, User) or not account.is_authenticated:
        return None
    if account.must_change_password:
        return "您的密码是管理员设置的初始密码,请先修改为只有您自己知道的密码,再继续使用系统。"
    expires = password_expires_at(account)
    if expires is not None and expires <= timezone.now():
        return f"您的密码已超过 {settings.PASSWORD_MAX_AGE_DAYS} 天未修改,按安全规定请先修改密码,再继续使用系统。"
    return None
