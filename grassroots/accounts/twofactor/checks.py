"""`manage.py check --deploy` fails when the second factor is not enforced or
a role that must have it has been left out (ADR 0058)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

ALWAYS_REQUIRED = frozenset({"system_admin", "security_admin", "audit_admin", "subdistrict_staff"})


@register(Tags.security, deploy=True)
def two_factor_enforced(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    if not getattr(settings, "TWO_FACTOR_ENFORCED", False):
        errors.append(Error("TWO_FACTOR_ENFORCED 为 False:生产环境必须强制双因素认证。", id="grassroots.E201"))
    missing = ALWAYS_REQUIRED - set(getattr(settings, "TWO_FACTOR_REQUIRED_ROLES", ()))
    if missing:
        errors.append(
            Error(
                f"TWO_FACTOR_REQUIRED_ROLES 缺少必须启用双因素认证的角色:{', '.join(sorted(missing))}。",
                id="grassroots.E202",
            )
        )
    return errors
