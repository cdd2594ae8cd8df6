"""Working-staff accounts: the system administrator creates and maintains
them, never an administrator account or role (ADR 0025)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from grassroots.core.audit import audit_record

from ..errors import AccountInvalid
from ..models import User
from ..policy.passwords import password_history_record
from ..roles import ADMIN_ROLES, Capability, Role, is_admin_role
from .rules import (
    MSG_ADMIN_ACCOUNT,
    MSG_ADMIN_ROLE,
    MSG_OWN_ACCOUNT,
    MSG_SUPERUSER,
    AccountAction,
    check_role,
    deny,
    is_admin_account,
    plain,
    require_account_manager,
    validated_password,
)

if TYPE_CHECKING:
    from grassroots.regions.models import Node


def assignable_roles(*, actor: User) -> list[tuple[str, str]]:
    """The roles this actor may give an account directly (working roles for the
    system administrator, nothing for anybody else)."""
    if not (actor.is_active and actor.can(Capability.MANAGE_USERS)):
        return []
    return [(value, str(label)) for value, label in Role.choices if value not in ADMIN_ROLES]


def account_may_change(*, actor: User, account: User) -> bool:
    """The same rule as `account_check_change`, as a question (for showing a
    form read-only); no audit row."""
    return (
        actor.is_active
        and actor.can(Capability.MANAGE_USERS)
        and account.pk != actor.pk
        and not is_admin_account(account)
    )


def account_check_create(*, actor: User, role: str) -> None:
    require_account_manager(actor)
    check_role(role)
    if is_admin_role(role):
        deny(actor, "admin_role_needs_grant", MSG_ADMIN_ROLE, role=role)


def account_check_change(*, actor: User, account: User, role: str | None = None) -> None:
    """May `actor` change `account` (to `role`, when given)? Raises if not."""
    require_account_manager(actor, account)
    if account.pk == actor.pk:
        deny(actor, "own_account", MSG_OWN_ACCOUNT, account=account)
    if account.is_superuser:
        deny(actor, "superuser_account", MSG_SUPERUSER, account=account)
    if is_admin_role(account.role):
        deny(actor, "admin_account", MSG_ADMIN_ACCOUNT, account=account, role=account.role)
    if role is not None:
        check_role(role)
        if is_admin_role(role):
            deny(actor, "admin_role_needs_grant", MSG_ADMIN_ROLE, account=account, role=role)


# --- Working-staff accounts (system administrator) ---------------------------


def account_create(
    *,
    actor: User,
    username: str,
    password: str | None,
    role: str,
    jurisdiction: Node | None = None,
    display_name: str = "",
    email: str = "",
    is_active: bool = True,
) -> User:
    """A new working-staff account. `password=None` leaves it without a usable
    password (set later by the system administrator)."""
    account_check_create(actor=actor, role=role)
    username = username.strip()
    if not username:
        raise AccountInvalid("username_required", "请填写用户名。", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise AccountInvalid("username_taken", "该用户名已被使用。", field="username")
    account = User(
        username=username,
        role=role,
        jurisdiction=jurisdiction,
        display_name=display_name,
        email=email,
        is_active=is_active,
        is_staff=False,
        is_superuser=False,
    )
    if password is None:
        account.set_unusable_password()
    else:
        validated_password(password, account)
        account.set_password(password)
    with transaction.atomic():
        account.save()
        # An initial password chosen by the administrator: changed at first login (ADR 0059).
        password_history_record(account=account, by_administrator=True)
        audit_record(
            action=AccountAction.CREATE,
            actor=actor,
            obj=account,
            detail={"role": role, "jurisdiction": account.jurisdiction_id, "active": is_active},
        )
    return account


def account_update(
    *,
    actor: User,
    account: User,
    username: str | None = None,
    role: str | None = None,
    jurisdiction: Node | object | None = ...,
    display_name: str | None = None,
    email: str | None = None,
    is_active: bool | None = None,
) -> User:
    """Change a working-staff account. Arguments left out stay as they are
    (`jurisdiction=None` clears it; leave it out to keep it)."""
    # Decide on the stored row, not on whatever the caller's instance holds;
    # first outside the transaction so that a refusal's audit row is kept.
    account_check_change(actor=actor, account=User.objects.get(pk=account.pk), role=role)
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=account.pk)
        account_check_change(actor=actor, account=current, role=role)
        changes: dict[str, list[object]] = {}

        def put(field: str, value: object) -> None:
            old = getattr(current, field)
            if value != old:
                changes[field] = [plain(old), plain(value)]
                setattr(current, field, value)

        if username is not None:
            username = username.strip()
            if not username:
                raise AccountInvalid("username_required", "请填写用户名。", field="username")
            if User.objects.filter(username__iexact=username).exclude(pk=current.pk).exists():
                raise AccountInvalid("username_taken", "该用户名已被使用。", field="username")
            put("username", username)
        if role is not None:
            put("role", role)
        if jurisdiction is not ...:
            put("jurisdiction", jurisdiction)
        if display_name is not None:
            put("display_name", display_name)
        if email is not None:
            put("email", email)
        if is_active is not None:
            put("is_active", is_active)
            if is_active and "is_active" in changes:
                # Re-enabling counts as activity: the dormant job does not disable it again at once.
                current.reactivated_at = timezone.now()
                current.dormant_disabled_at = None
        if changes:
            current.save()
            if "is_active" in changes:
                action = AccountAction.ACTIVATE if current.is_active else AccountAction.DEACTIVATE
            else:
                action = AccountAction.UPDATE
            audit_record(action=action, actor=actor, obj=current, detail={"changes": changes})
    return current


def account_set_active(*, actor: User, account: User, active: bool) -> User:
    return account_update(actor=actor, account=account, is_active=active)


def account_check_password(*, actor: User, account: User) -> None:
    account_check_change(actor=actor, account=account)


def account_set_password(*, actor: User, account: User, password: str | None) -> User:
    """Reset a working-staff account's password (`None`: password login off)."""
    current = User.objects.get(pk=account.pk)
    account_check_password(actor=actor, account=current)
    if password is not None:
        validated_password(password, current)
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=account.pk)
        account_check_password(actor=actor, account=current)
        if password is None:
            current.set_unusable_password()
        else:
            current.set_password(password)
        current.save(update_fields=["password"])
        # A password the administrator chose: the person changes it at the next login (ADR 0059).
        password_history_record(account=current, by_administrator=True)
        audit_record(
            action=AccountAction.PASSWORD_RESET,
            actor=actor,
            obj=current,
            detail={"usable": password is not None},  # never the password itself
        )
    return current
