"""Every account write goes through here: the admin site, the pages, the API
and the commands only parse input and call these (ADR 0025).

三权分立 rules, decided by the actor's *role* (the superuser flag grants
nothing here, so it cannot serve as a backdoor):

- The system administrator creates and maintains working-staff accounts:
  role (working roles only), jurisdiction, activation, password. Never an
  administrator account (their own included), never an administrator role.
- The three administrator roles are granted and revoked only through a
  `RoleGrantRequest`: one security administrator asks, a *different* one
  approves; neither may be the account concerned. Approving a grant makes the
  account's password unusable and returns a one-time link with which the
  person sets their own, so whoever set the password before (the system
  administrator) cannot log in as the new administrator.
- Nobody changes their own role or resets their own credentials here; one's
  own password is changed on the normal password-change page (old password
  required).
- Every write, and every refusal, is in the audit chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from grassroots.core.audit import Action, audit_record

from .errors import AccountInvalid, AccountRuleDenied, GrantConflict
from .models import RoleGrantRequest, User
from .roles import ADMIN_ROLES, Capability, Role, is_admin_role

if TYPE_CHECKING:
    from grassroots.regions.models import Node


class AccountAction:
    # Creating and editing use the platform's generic names, like every other app.
    CREATE = Action.CREATE
    UPDATE = Action.UPDATE
    PASSWORD_RESET = "accounts.password_reset"  # noqa: S105 - an audit action name
    ACTIVATE = "accounts.activate"
    DEACTIVATE = "accounts.deactivate"
    GRANT_REQUEST = "accounts.role_grant_request"
    GRANT_APPROVE = "accounts.role_grant_approve"
    GRANT_REJECT = "accounts.role_grant_reject"
    PASSWORD_SET_BY_LINK = "accounts.password_set_by_link"  # noqa: S105 - an audit action name
    PASSWORD_CHANGE_OWN = "accounts.password_change_own"  # noqa: S105 - an audit action name
    BOOTSTRAP = "accounts.bootstrap_administrator"


Action.LABELS.update(
    {
        AccountAction.PASSWORD_RESET: "重置密码",
        AccountAction.ACTIVATE: "启用账号",
        AccountAction.DEACTIVATE: "停用账号",
        AccountAction.GRANT_REQUEST: "申请管理员角色变更",
        AccountAction.GRANT_APPROVE: "批准管理员角色变更",
        AccountAction.GRANT_REJECT: "驳回管理员角色变更",
        AccountAction.PASSWORD_SET_BY_LINK: "本人通过一次性链接设置密码",
        AccountAction.PASSWORD_CHANGE_OWN: "本人修改密码",
        AccountAction.BOOTSTRAP: "命令行创建管理员",
    }
)

MSG_NOT_MANAGER = "只有系统管理员可以管理工作人员账号。"
MSG_ADMIN_ROLE = (
    "系统管理员、安全管理员、审计管理员这三个管理员角色,只能由一名安全管理员申请、"
    "另一名安全管理员批准后授予,系统管理员不能直接授予。"
)
MSG_ADMIN_ACCOUNT = (
    "管理员账号(系统管理员、安全管理员、审计管理员)不由系统管理员维护:"
    "角色变更须经两名安全管理员审批,密码只能由本人修改。"
)
MSG_OWN_ACCOUNT = "不能在账号管理中修改自己的账号或重置自己的密码;修改自己的密码请使用“修改密码”页面。"
MSG_SUPERUSER = "超级用户账号只能由运维人员在服务器上用命令维护。"
MSG_NOT_SECURITY_ADMIN = "只有安全管理员可以申请和审批管理员角色的授予与撤销。"
MSG_OWN_ROLE = "任何人都不能为自己申请或审批角色变更。"
MSG_SAME_PERSON = "申请人不能批准自己的申请,须由另一名安全管理员审批。"
MSG_ONLY_ONE_SECURITY_ADMIN = (
    "本系统目前没有另一名可以审批的安全管理员:授予或撤销管理员角色须由另一名安全管理员批准。"
    "请由运维人员在服务器上运行 manage.py create_administrator 增设安全管理员(见运维手册“初始化管理员”)。"
)


# --- Rules ----------------------------------------------------------------------


def _deny(actor: User, code: str, message: str, *, account: User | None = None, **detail: object) -> NoReturn:
    audit_record(
        action=Action.DENIED,
        actor=actor,
        obj=account,
        result="denied",
        detail={"rule": code, **detail},
    )
    raise AccountRuleDenied(code, message)


def is_admin_account(account: User) -> bool:
    return is_admin_role(account.role) or account.is_superuser


def _require_account_manager(actor: User, account: User | None = None) -> None:
    # Role only: User.can ignores is_superuser on purpose (ADR 0025).
    if not (actor.is_active and actor.can(Capability.MANAGE_USERS)):
        _deny(actor, "not_account_manager", MSG_NOT_MANAGER, account=account)


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise AccountInvalid("invalid_role", "请选择有效的角色。", field="role")


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
    _require_account_manager(actor)
    _check_role(role)
    if is_admin_role(role):
        _deny(actor, "admin_role_needs_grant", MSG_ADMIN_ROLE, role=role)


def account_check_change(*, actor: User, account: User, role: str | None = None) -> None:
    """May `actor` change `account` (to `role`, when given)? Raises if not."""
    _require_account_manager(actor, account)
    if account.pk == actor.pk:
        _deny(actor, "own_account", MSG_OWN_ACCOUNT, account=account)
    if account.is_superuser:
        _deny(actor, "superuser_account", MSG_SUPERUSER, account=account)
    if is_admin_role(account.role):
        _deny(actor, "admin_account", MSG_ADMIN_ACCOUNT, account=account, role=account.role)
    if role is not None:
        _check_role(role)
        if is_admin_role(role):
            _deny(actor, "admin_role_needs_grant", MSG_ADMIN_ROLE, account=account, role=role)


def _validated_password(password: str, account: User) -> None:
    try:
        validate_password(password, user=account)
    except ValidationError as exc:
        raise AccountInvalid("weak_password", " ".join(exc.messages), field="password") from exc


def _plain(value: Any) -> object:
    """What the audit detail keeps of a value: ids for rows."""
    return value.pk if hasattr(value, "pk") else value


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
        _validated_password(password, account)
        account.set_password(password)
    with transaction.atomic():
        account.save()
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
                changes[field] = [_plain(old), _plain(value)]
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
        _validated_password(password, current)
    with transaction.atomic():
        current = User.objects.select_for_update().get(pk=account.pk)
        account_check_password(actor=actor, account=current)
        if password is None:
            current.set_unusable_password()
        else:
            current.set_password(password)
        current.save(update_fields=["password"])
        audit_record(
            action=AccountAction.PASSWORD_RESET,
            actor=actor,
            obj=current,
            detail={"usable": password is not None},  # never the password itself
        )
    return current


# --- Administrator roles (two security administrators) ----------------------


def _require_security_admin(actor: User, account: User | None = None) -> None:
    if not (actor.is_active and actor.can(Capability.GRANT_ADMIN_ROLES)):
        _deny(actor, "not_security_admin", MSG_NOT_SECURITY_ADMIN, account=account)


def second_security_admin_exists(*, actor: User, account: User | None = None) -> bool:
    """Is there an active security administrator who could approve a request
    by `actor` about `account` (somebody other than both)?"""
    others = User.objects.filter(role=Role.SECURITY_ADMIN, is_active=True).exclude(pk=actor.pk)
    if account is not None:
        others = others.exclude(pk=account.pk)
    return others.exists()


def role_grant_request(*, actor: User, account: User, role: str, reason: str) -> RoleGrantRequest:
    """Ask for `account` to get (or, to a working role, lose) an administrator role."""
    _require_security_admin(actor, account)
    account = User.objects.get(pk=account.pk)
    if account.pk == actor.pk:
        _deny(actor, "own_role", MSG_OWN_ROLE, account=account, role=role)
    if account.is_superuser:
        _deny(actor, "superuser_account", MSG_SUPERUSER, account=account)
    _check_role(role)
    if role == account.role:
        raise AccountInvalid("no_change", "该账号已经是这个角色。", field="role")
    if not (is_admin_role(role) or is_admin_role(account.role)):
        raise AccountInvalid(
            "not_admin_role",
            "此申请只用于授予或撤销管理员角色;工作人员之间的角色调整由系统管理员在系统管理中办理。",
            field="role",
        )
    reason = reason.strip()
    if not reason:
        raise AccountInvalid("reason_required", "请填写申请理由。", field="reason")
    if not second_security_admin_exists(actor=actor, account=account):
        raise AccountInvalid("no_second_security_admin", MSG_ONLY_ONE_SECURITY_ADMIN)
    with transaction.atomic():
        if RoleGrantRequest.objects.filter(account=account, state=RoleGrantRequest.State.PENDING).exists():
            raise GrantConflict("grant_pending", "该账号已有待审批的角色申请,请先处理。")
        grant = RoleGrantRequest.objects.create(
            account=account, from_role=account.role, to_role=role, reason=reason[:500], requested_by=actor
        )
        audit_record(
            action=AccountAction.GRANT_REQUEST,
            actor=actor,
            obj=grant,
            detail={"account": account.pk, "from_role": account.role, "to_role": role},
        )
    return grant


def _check_decider(actor: User, grant: RoleGrantRequest) -> None:
    _require_security_admin(actor, grant.account)
    if grant.account_id == actor.pk:
        _deny(actor, "own_role", MSG_OWN_ROLE, account=grant.account, grant=grant.pk)
    if grant.requested_by_id == actor.pk:
        _deny(actor, "same_person", MSG_SAME_PERSON, account=grant.account, grant=grant.pk)


def _close(grant: RoleGrantRequest, *, actor: User, state: str, note: str) -> None:
    """Conditional on the request still pending, so two deciders cannot both win."""
    now = timezone.now()
    updated = RoleGrantRequest.objects.filter(pk=grant.pk, state=RoleGrantRequest.State.PENDING).update(
        state=state, decided_by=actor, decided_at=now, decision_note=note[:500]
    )
    if updated != 1:
        raise GrantConflict("grant_decided", "该申请已经处理过了。")
    grant.state, grant.decided_by, grant.decided_at, grant.decision_note = state, actor, now, note[:500]


@dataclass(frozen=True)
class GrantOutcome:
    grant: RoleGrantRequest
    # Path of the one-time page where the new administrator sets their own
    # password; only for grants (a revoked account is deactivated instead).
    set_password_path: str | None


def role_grant_approve(*, actor: User, grant: RoleGrantRequest, note: str = "") -> GrantOutcome:
    _check_decider(actor, grant)
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=grant.account_id)
        if account.role != grant.from_role:
            raise GrantConflict("role_changed", "申请提交后该账号的角色已经变化,请驳回后重新申请。")
        _close(grant, actor=actor, state=RoleGrantRequest.State.APPROVED, note=note.strip())
        account.role = grant.to_role
        link: str | None = None
        if is_admin_role(grant.to_role):
            # Whoever knew the old password (the system administrator set it)
            # must not be able to log in as the new administrator.
            account.is_active = True
            account.set_unusable_password()
            account.save(update_fields=["role", "is_active", "password"])
            link = reverse(
                "accounts:set-password",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(account.pk)),
                    "token": default_token_generator.make_token(account),
                },
            )
        else:
            # A revoked administrator is switched off; the system administrator
            # may switch the working-staff account on again.
            account.is_active = False
            account.save(update_fields=["role", "is_active"])
        audit_record(
            action=AccountAction.GRANT_APPROVE,
            actor=actor,
            obj=grant,
            detail={
                "account": account.pk,
                "from_role": grant.from_role,
                "to_role": grant.to_role,
                "requested_by": grant.requested_by_id,
                "active": account.is_active,
            },
        )
    grant.account = account
    return GrantOutcome(grant=grant, set_password_path=link)


def role_grant_reject(*, actor: User, grant: RoleGrantRequest, note: str = "") -> RoleGrantRequest:
    """Reject (or, by the requester, withdraw) a pending request."""
    _require_security_admin(actor, grant.account)
    if grant.account_id == actor.pk:
        _deny(actor, "own_role", MSG_OWN_ROLE, account=grant.account, grant=grant.pk)
    with transaction.atomic():
        _close(grant, actor=actor, state=RoleGrantRequest.State.REJECTED, note=note.strip())
        audit_record(
            action=AccountAction.GRANT_REJECT,
            actor=actor,
            obj=grant,
            detail={"account": grant.account_id, "to_role": grant.to_role, "requested_by": grant.requested_by_id},
        )
    return grant


def record_password_set_by_link(*, account: User) -> None:
    """The person set their own password with the one-time link after a grant."""
    audit_record(action=AccountAction.PASSWORD_SET_BY_LINK, actor=account, obj=account)


def record_own_password_change(*, account: User) -> None:
    """Django's password-change page (old password required) did the write."""
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
    _validated_password(password, account)
    account.set_password(password)
    with transaction.atomic():
        account.save()
        audit_record(action=AccountAction.BOOTSTRAP, obj=account, detail={"role": role, "via": "command"})
    return account
