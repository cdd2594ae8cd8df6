"""Passwords people set themselves, recorded in the audit chain, and the
administrators created from the server's command line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from grassroots.core.audit import audit_record

from ..errors import AccountInvalid
from ..models import User
from ..policy.passwords import password_history_record
from ..roles import Role, is_admin_role
from .rules import AccountAction, validated_password

if TYPE_CHECKING:
    from grassroots.regions.models import Node


def record_password_set_by_link(*, account: User) -> None:
    """The person set their own password with the one-time link after a grant."""
    password_history_record(account=account, by_administrator=False)
    audit_record(action=AccountAction.PASSWORD_SET_BY_LINK, actor=account, obj=account)


def record_own_password_change(*, account: User) -> None:
    """Django's password-change page (old password required) did the write."""
    password_history_record(account=account, by_administrator=False)
    audit_record(action=AccountAction.PASSWORD_CHANGE_OWN, actor=account, obj=account)


# --- Bootstrap (server command line only) ------------------------------------


def administrator_bootstrap(
    *, username: str, password: str, role: str, display_name: str = "", jurisdiction: Node | None = None
) -> User:
    """Create an administrator from the server's command line (the operator,
    not a logged-in user, is the actor). Used to install the first system,
    security and audit administrators, and the second security administrator
    the two-person rule needs; audited with no actor."""
    if not is_admin_role(role):
        raise AccountInvalid("not_admin_role", "此命令只创建管理员账号;工作人员账号由系统管理员在系统管理中创建。")
    username = username.strip()
    if not username or User.objects.filter(username__iexact=username).exists():
        raise AccountInvalid("username_taken", "用户名为空或已被使用。", field="username")
    account = User(username=username, role=role, display_name=display_name, jurisdiction=jurisdiction)
    # Only the system administrator enters the admin site, and its access follows the role anyway.
    account.is_staff = role == Role.SYSTEM_ADMIN
    validated_password(password, account)
    account.set_password(password)
    with transaction.atomic():
        account.save()
        # The operator typed it: the administrator replaces it at first login (ADR 0059).
        password_history_record(account=account, by_administrator=True)
        audit_record(action=AccountAction.BOOTSTRAP, obj=account, detail={"role": role, "via": "command"})
    return account
