"""Every reveal of full personal data goes through `reveal_attempt` (ADR 0019).

Only the security administrator holds `REVEAL_PERSONAL_DATA` (ADR 0009); the
mediation team's own reveal of its parties is the one documented exception.
Holding the capability is not enough for bulk use:

- **Throttle.** Reveals are counted per user in fixed windows in the cache
  (`REVEAL_RATES`, e.g. ``5/m,30/h``). Past a limit the reveal is refused
  with a Chinese message (`TooManyRequests`, 429) and the refusal is audited
  like any denied reveal; nothing is shown.
- **Burst alert.** Every attempt, allowed or not, counts towards the burst
  window (`REVEAL_BURST`, e.g. ``10/10m``). The attempt that reaches the
  threshold sends an in-app notification (the outbox of ADR 0008) to every
  active security administrator whose jurisdiction covers the user (all of
  them when none does, so that no alert is lost), and to the audit
  administrators when the user is a security administrator
  (三权分立: nobody watches only themselves). It happens once per window: only
  the attempt whose count equals the threshold sends it.

Counters live in the cache (Redis in production, shared by all workers)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from grassroots.core.audit import Action, audit_record
from grassroots.core.errors import TooManyRequests
from grassroots.core.notifications.services import notify_user

from .models import User
from .roles import Role

DEFAULT_RATES = "5/m,30/h"
DEFAULT_BURST = "10/10m"
_UNITS = {"s": (1, "秒"), "m": (60, "分钟"), "h": (3600, "小时"), "d": (86400, "天")}
_SINGLE = {"秒": "每秒", "分钟": "每分钟", "小时": "每小时", "天": "每天"}
_RATE_RE = re.compile(r"^(\d+)/(\d*)([smhd])$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int
    label: str  # 每分钟, 每 10 分钟 …
    spec: str = field(default="", compare=False)  # as configured, e.g. 5/m


def parse_rates(spec: str) -> list[Rate]:
    """``"5/m,30/h"`` → rates; ``"10/10m"`` is 10 in 10 minutes. Raises
    ValueError on anything else (a configuration error must not pass silently)."""
    rates = []
    for part in (spec or "").split(","):
        match = _RATE_RE.match(part.strip())
        if match is None:
            raise ValueError(f"invalid reveal rate {part.strip()!r}; expected e.g. 5/m, 30/h or 10/10m")
        count, multiple, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
        if count < 1 or multiple < 1:
            raise ValueError(f"invalid reveal rate {part.strip()!r}: count and period must be positive")
        unit_seconds, unit_label = _UNITS[unit]
        label = _SINGLE[unit_label] if multiple == 1 else f"每 {multiple} {unit_label}"
        rates.append(Rate(count=count, seconds=multiple * unit_seconds, label=label, spec=part.strip()))
    return rates


def _count(key: str, seconds: int) -> int:
    """Add one to a window's counter and return the new count."""
    cache.add(key, 0, timeout=seconds + 5)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds + 5)
        return 1


def _window(seconds: int) -> int:
    return int(timezone.now().timestamp()) // seconds


def _recipients(actor: Any) -> list[User]:
    """Active security administrators whose jurisdiction covers the actor's;
    with the audit administrators too when the actor is a security administrator."""
    path = getattr(getattr(actor, "jurisdiction", None), "path", None)
    roles = [Role.SECURITY_ADMIN]
    if getattr(actor, "role", None) == Role.SECURITY_ADMIN:
        roles.append(Role.AUDIT_ADMIN)
    users = User.objects.filter(role__in=roles, is_active=True).select_related("jurisdiction")
    if path is None:
        return list(users)
    covering = [u for u in users if u.jurisdiction is None or path.startswith(u.jurisdiction.path)]
    return covering or list(users)


def _alert(actor: Any, rate: Rate, count: int, window: int) -> None:
    where = actor.jurisdiction.label if getattr(actor, "jurisdiction", None) else "未分配辖区"
    role = actor.get_role_display() if hasattr(actor, "get_role_display") else ""
    label = rate.label.removeprefix("每").strip()
    body = (
        f"{actor}({role},{where})在 {label}内已尝试查看完整身份证号和手机号 {count} 次,达到告警阈值。"
        "请核实是否有正当事由;每次尝试及事由均已记入审计日志。"
    )
    for recipient in _recipients(actor):
        notify_user(
            recipient,
            "查看个人信息次数异常",
            body,
            dedupe_key=f"reveal-burst:{actor.pk}:{rate.seconds}:{window}:{recipient.pk}",
        )


def reveal_attempt(*, actor: Any, allowed: bool, obj: Any = None, reason: str = "") -> None:
    """Count one attempt to reveal by `actor`; alert on a burst. When the
    attempt is `allowed` (capability and scope passed) and a rate limit is
    reached, audit the refusal and raise `TooManyRequests`."""
    if getattr(actor, "pk", None) is None:
        return
    burst = parse_rates(str(getattr(settings, "REVEAL_BURST", DEFAULT_BURST)))[0]
    window = _window(burst.seconds)
    attempts = _count(f"reveal-burst:{actor.pk}:{burst.seconds}:{window}", burst.seconds)
    if attempts == burst.count:
        _alert(actor, burst, attempts, window)
    if not allowed:
        return
    for rate in parse_rates(str(getattr(settings, "REVEAL_RATES", DEFAULT_RATES))):
        done = _count(f"reveal-rate:{actor.pk}:{rate.seconds}:{_window(rate.seconds)}", rate.seconds)
        if done > rate.count:
            audit_record(
                action=Action.REVEAL,
                actor=actor,
                obj=obj,
                result="denied",
                detail={"reason": reason, "throttled": rate.spec},
            )
            raise TooManyRequests(
                "reveal_throttled",
                f"查看完整个人信息过于频繁:{rate.label}最多 {rate.count} 次。本次未显示,"
                "已记入审计日志,请稍后再试;如确需批量核对,请按规定走书面审批。",
            )
