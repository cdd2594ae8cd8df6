from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role, is_admin_role, role_has

if TYPE_CHECKING:
    from grassroots.regions.models import Node


class User(AbstractUser):  # type: ignore[django-manager-missing]  # django-otp devices (ADR 0058)
    """A staff account. Residents do not log in; they use public pages with
    tracking codes. Every staff user works inside one jurisdiction node."""

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    jurisdiction = models.ForeignKey(
        "regions.Node",
        verbose_name=_("辖区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    # Password and dormancy policy (ADR 0059). The default fills existing rows
    # with the migration's time, so nobody is expired by the upgrade itself.
    # Database defaults too: rows written by code that predates these columns
    # (an older release during a rolling upgrade, historical models in data
    # migrations) still insert.
    password_changed_at = models.DateTimeField(_("密码修改时间"), default=timezone.now, db_default=Now())
    must_change_password = models.BooleanField(_("须在登录后修改密码"), default=False, db_default=False)
    dormant_disabled_at = models.DateTimeField(_("因长期未登录停用的时间"), null=True, blank=True)
    reactivated_at = models.DateTimeField(_("重新启用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]) | models.Q(is_superuser=True),
                name="user_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def can(self, capability: str) -> bool:
        return self.is_active and role_has(self.role, capability)

    @property
    def scope_node(self) -> Node | None:
        return self.jurisdiction


class RoleGrantRequest(models.Model):
    """A request to give an account one of the three administrator roles, or to
    take it away (ADR 0025). One security administrator asks; a different one
    approves or rejects; neither may be the account concerned. The row is the
    record of who asked, who decided and why; it is never deleted."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    account = models.ForeignKey(
        User, verbose_name=_("账号"), on_delete=models.PROTECT, related_name="role_grant_requests"
    )
    from_role = models.CharField(_("原角色"), max_length=32, choices=Role.choices, blank=True)
    to_role = models.CharField(_("新角色"), max_length=32, choices=Role.choices)
    reason = models.TextField(_("申请理由"), max_length=500)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        User, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="role_grants_requested"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_grants_decided",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("管理员角色申请")
        verbose_name_plural = _("管理员角色申请")
        constraints = [
            # One open request per account: two could be approved against the same starting role.
            models.UniqueConstraint(
                fields=["account"], condition=models.Q(state="pending"), name="role_grant_one_pending_per_account"
            ),
            # Two-person rule, also in the database: the decider is never the requester or the account.
            models.CheckConstraint(
                condition=models.Q(decided_by__isnull=True)
                | (~models.Q(decided_by=models.F("requested_by")) & ~models.Q(decided_by=models.F("account"))),
                name="role_grant_decided_by_another",
            ),
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("account")), name="role_grant_not_for_oneself"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "approved", "rejected"]), name="role_grant_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} → {self.get_to_role_display()}({self.get_state_display()})"

    @property
    def is_grant(self) -> bool:
        """True when the account gains an administrator role, False when it loses one."""
        return is_admin_role(self.to_role)


class PasswordHistory(models.Model):
    """The hashes of an account's recent passwords, so that none of the last
    few is chosen again (ADR 0059). Never the password itself."""

    user = models.ForeignKey(User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


# Models of the sub-packages, registered with this app (ADR 0058).
from .tokens.models import ApiToken  # noqa: E402
from .twofactor.models import RecoveryCode, RecoveryCodeDevice  # noqa: E402

__all__ = ["ApiToken", "PasswordHistory", "RecoveryCode", "RecoveryCodeDevice", "RoleGrantRequest", "User"]
