"""What every account write shares: audit action names, the refusal messages
and the checks behind them (ADR 0025)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from grassroots.core.audit import Action, audit_record

from ..errors import AccountInvalid, AccountRuleDenied
from ..models import User
from ..roles import Capability, Role, is_admin_role


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


def deny(actor: User, code: str, message: str, *, account: User | None = None, **detail: object) -> NoReturn:
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


def require_account_manager(actor: User, account: User | None = None) -> None:
    # Role only: User.can ignores is_superuser on purpose (ADR 0025).
    if not (actor.is_active and actor.can(Capability.MANAGE_USERS)):
        deny(actor, "not_account_manager", MSG_NOT_MANAGER, account=account)


def check_role(role: str) -> None:
    if role not in Role.values:
        raise AccountInvalid("invalid_role", "请选择有效的角色。", field="role")


def validated_password(password: str, account: User) -> None:
    try:
        validate_password(password, user=account)
    except ValidationError as exc:
        raise AccountInvalid("weak_password", " ".join(exc.messages), field="password") from exc


def plain(value: Any) -> object:
    """What the audit detail keeps of a value: ids for rows."""
    return value.pk if hasattr(value, "pk") else value
