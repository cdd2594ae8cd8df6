"""Enrolment, verification, recovery codes and the security administrator's
reset (ADR 0058). Every step that matters is in the audit chain: an
enrolment, each failed code, each recovery code used, a regeneration and a
reset (with its reason)."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.core.audit import audit_record
from grassroots.core.errors import DomainError, PermissionDenied, TooManyRequests

from ..permissions import require_capability
from ..roles import Capability
from .models import RecoveryCode, RecoveryCodeDevice, recovery_code_digest

RECOVERY_CODE_COUNT = 10
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed by hand


class Act:
    ENROL = "twofactor.enrol"
    VERIFY_FAILED = "twofactor.verify_failed"
    RECOVERY_USED = "twofactor.recovery_used"
    RECOVERY_REGENERATED = "twofactor.recovery_regenerated"
    RESET = "twofactor.reset"


def two_factor_required(user: Any) -> bool:
    """Whether the account must have a second factor before anything else."""
    return bool(user.is_superuser or getattr(user, "role", "") in settings.TWO_FACTOR_REQUIRED_ROLES)


def may_enrol(user: Any) -> bool:
    return two_factor_required(user) or bool(settings.TWO_FACTOR_OPTIONAL)


def totp_device(user: Any, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("-id").first()


def has_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def secret_text(device: TOTPDevice) -> str:
    """The key as the base32 an authenticator app accepts, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def enrolment_start(*, user: Any) -> TOTPDevice:
    """The unconfirmed device being enrolled: the same key until confirmed,
    so that reloading the page does not invalidate a scanned QR code."""
    if not may_enrol(user):
        raise PermissionDenied("本系统未开放您的角色自行启用双因素认证。")
    if has_second_factor(user):
        raise DomainError("invalid", "您已启用双因素认证;如需更换手机,请联系安全管理员重置。")
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


def _new_codes(user: Any) -> list[str]:
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="恢复码", confirmed=True)
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(device=device, digest=recovery_code_digest(c)) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def enrolment_confirm(*, user: Any, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the device with a first code; returns the recovery codes, in
    clear this once (only their digests are kept)."""
    if device.user_id != user.pk or device.confirmed:
        raise DomainError("invalid", "绑定已失效,请重新打开绑定页面。")
    if not _verify_totp(user=user, device=device, code=code):
        raise DomainError("invalid", "验证码不正确或已过期,请输入身份验证器当前显示的 6 位数字。")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_codes(user)
        audit_record(action=Act.ENROL, actor=user, obj=user, detail={"device": device.persistent_id})
    return codes


def _verify_totp(*, user: Any, device: TOTPDevice, code: str) -> bool:
    code = "".join(str(code or "").split())
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        audit_record(action=Act.VERIFY_FAILED, actor=user, obj=user, result="denied", detail={"reason": "throttled"})
        raise TooManyRequests("throttled", "验证码错误次数过多,请稍候再试。")
    if len(code) == 6 and code.isdigit():
        # Locked, so that two requests with the same code cannot both pass last_t.
        with transaction.atomic():
            locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            if locked.verify_token(code):
                return True
    else:
        # verify_token is not reached: count the failure all the same.
        device.throttle_increment()
    audit_record(action=Act.VERIFY_FAILED, actor=user, obj=user, result="failure", detail={"kind": "totp"})
    return False


@dataclass(frozen=True)
class Verified:
    device: Any
    recovery_left: int | None = None


def verify_code(*, user: Any, code: str) -> Verified:
    """Check a login's second factor: a TOTP code (±1 step; a code already
    used is refused by the device's last_t) or a recovery code."""
    device = totp_device(user)
    if device is None:
        raise DomainError("invalid", "您尚未启用双因素认证。")
    cleaned = "".join(str(code or "").split())
    if len(cleaned) == 6 and cleaned.isdigit():
        if _verify_totp(user=user, device=device, code=cleaned):
            return Verified(device=device)
        raise DomainError("invalid", "验证码不正确或已使用过,请输入身份验证器当前显示的 6 位数字。")
    return _verify_recovery(user=user, code=cleaned)


def _verify_recovery(*, user: Any, code: str) -> Verified:
    device = RecoveryCodeDevice.objects.filter(user=user).first()
    if device is None or not code:
        audit_record(action=Act.VERIFY_FAILED, actor=user, obj=user, result="failure", detail={"kind": "recovery"})
        raise DomainError("invalid", "验证码不正确。")
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        audit_record(action=Act.VERIFY_FAILED, actor=user, obj=user, result="denied", detail={"reason": "throttled"})
        raise TooManyRequests("throttled", "验证码错误次数过多,请稍候再试。")
    if not device.verify_token(code):
        audit_record(action=Act.VERIFY_FAILED, actor=user, obj=user, result="failure", detail={"kind": "recovery"})
        raise DomainError("invalid", "恢复码不正确或已使用过。")
    left = device.codes.filter(used_at__isnull=True).count()
    audit_record(action=Act.RECOVERY_USED, actor=user, obj=user, detail={"left": left})
    return Verified(device=device, recovery_left=left)


def recovery_codes_regenerate(*, user: Any) -> list[str]:
    if not has_second_factor(user):
        raise DomainError("invalid", "请先启用双因素认证。")
    with transaction.atomic():
        codes = _new_codes(user)
        audit_record(action=Act.RECOVERY_REGENERATED, actor=user, obj=user)
    return codes


def recovery_codes_left(*, user: Any) -> int:
    return RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).count()


def two_factor_reset(*, actor: Any, account: Any, reason: str) -> None:
    """The security administrator removes an account's devices (a lost phone):
    the account enrols again at its next login. Never one's own."""
    require_capability(actor, Capability.MANAGE_TWO_FACTOR)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("invalid", "请填写重置理由。", field="reason")
    if len(reason) > 200:
        raise DomainError("invalid", "重置理由不能超过 200 字。", field="reason")
    if account.pk == actor.pk:
        raise PermissionDenied("不能重置自己的双因素认证,请由另一名安全管理员办理。")
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=account).delete()[0]
        RecoveryCodeDevice.objects.filter(user=account).delete()
        audit_record(action=Act.RESET, actor=actor, obj=account, detail={"reason": reason, "devices": removed})
