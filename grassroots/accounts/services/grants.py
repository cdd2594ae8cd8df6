"""Administrator roles: granted and revoked only through a `RoleGrantRequest`
that one security administrator asks for and a different one decides
(ADR 0025)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from grassroots.core.audit import audit_record

from ..errors import AccountInvalid, GrantConflict
from ..models import RoleGrantRequest, User
from ..roles import Capability, Role, is_admin_role
from .rules import (
    MSG_NOT_SECURITY_ADMIN,
    MSG_ONLY_ONE_SECURITY_ADMIN,
    MSG_OWN_ROLE,
    MSG_SAME_PERSON,
    MSG_SUPERUSER,
    AccountAction,
    check_role,
    deny,
)

# --- Administrator roles (two security administrators) ----------------------


def _require_security_admin(actor: User, account: User | None = None) -> None:
    if not (actor.is_active and actor.can(Capability.GRANT_ADMIN_ROLES)):
        deny(actor, "not_security_admin", MSG_NOT_SECURITY_ADMIN, account=account)


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
        deny(actor, "own_role", MSG_OWN_ROLE, account=account, role=role)
    if account.is_superuser:
        deny(actor, "superuser_account", MSG_SUPERUSER, account=account)
    check_role(role)
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
        deny(actor, "own_role", MSG_OWN_ROLE, account=grant.account, grant=grant.pk)
    if grant.requested_by_id == actor.pk:
        deny(actor, "same_person", MSG_SAME_PERSON, account=grant.account, grant=grant.pk)


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
        deny(actor, "own_role", MSG_OWN_ROLE, account=grant.account, grant=grant.pk)
    with transaction.atomic():
        _close(grant, actor=actor, state=RoleGrantRequest.State.REJECTED, note=note.strip())
        audit_record(
            action=AccountAction.GRANT_REJECT,
            actor=actor,
            obj=grant,
            detail={"account": grant.account_id, "to_role": grant.to_role, "requested_by": grant.requested_by_id},
        )
    return grant
