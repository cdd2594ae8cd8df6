"""One demo account per role, placed in the Hutian tree. Only for `./run demo`."""

from __future__ import annotations

import base64

from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.regions.models import Level, Node

from .models import User
from .roles import Role

DEMO_PASSWORD = "Hutian@2026"  # noqa: S105 - printed by ./run demo on purpose
# The demo accounts that must use a second factor get a device with this
# public key (ADR 0058): the demo prints it for an authenticator app, and
# `manage.py demo_totp` prints the current code. Only the demo creates it.
DEMO_TOTP_KEY = b"Hutian-demo-2026-otp"
DEMO_TOTP_SECRET = base64.b32encode(DEMO_TOTP_KEY).decode()


def demo_totp_code() -> str:
    return f"{totp(DEMO_TOTP_KEY):06d}"


# username, role, display name, where (None: subdistrict; village short name; (village, grid index))
DEMO_ACCOUNTS: list[tuple[str, Role, str, object]] = [
    ("grid", Role.GRID_WORKER, "王网格", ("西张村", 0)),
    ("village", Role.VILLAGE_STAFF, "李村务", "西张村"),
    ("community", Role.VILLAGE_STAFF, "赵社区", "店子社区"),
    ("street", Role.SUBDISTRICT_STAFF, "张街道", None),
    ("mediator", Role.MEDIATOR, "刘调解", None),
    ("lawyer", Role.LEGAL_ADVISER, "陈律师", None),
    ("window", Role.WINDOW_STAFF, "孙窗口", None),
    ("relocation", Role.RELOCATION_WORKER, "钱征迁", "洪一社区"),
    ("sysadmin", Role.SYSTEM_ADMIN, "周系统", None),
    ("secadmin", Role.SECURITY_ADMIN, "吴安全", None),
    ("auditor", Role.AUDIT_ADMIN, "郑审计", None),
]


def _node_for(where: object, subdistrict: Node) -> Node:
    if where is None:
        return subdistrict
    village_name: str
    grid_index: int | None
    if isinstance(where, str):
        village_name, grid_index = where, None
    else:
        village_name, grid_index = where  # type: ignore[misc]
    village = Node.objects.filter(
        path__startswith=subdistrict.path, level=Level.VILLAGE, short_name=village_name
    ).first()
    if village is None:
        raise LookupError(f"演示数据中没有“{village_name}”,请先运行 load_hutian 和 generate_demo。")
    if grid_index is None:
        return village
    grids = list(Node.objects.filter(path__startswith=village.path, level=Level.GRID).order_by("path"))
    if not grids:
        raise LookupError(f"“{village_name}”下没有网格,请先运行 generate_demo。")
    return grids[grid_index]


def ensure_demo_users(subdistrict_code: str = "370303003000") -> list[User]:
    subdistrict = Node.objects.filter(code=subdistrict_code).first()
    if subdistrict is None:
        raise LookupError("没有找到湖田街道,请先运行 load_hutian。")
    users = []
    for username, role, display_name, where in DEMO_ACCOUNTS:
        node = _node_for(where, subdistrict)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": role, "display_name": display_name, "jurisdiction": node},
        )
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
        user.role, user.display_name, user.jurisdiction = role, display_name, node
        # The system administrator maintains accounts and holidays in the admin site.
        user.is_staff = role == Role.SYSTEM_ADMIN
        user.save()
        if role in settings.TWO_FACTOR_REQUIRED_ROLES:
            _ensure_demo_device(user)
        users.append(user)
    return users


def _ensure_demo_device(user: User) -> None:
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="演示身份验证器", confirmed=True, key=DEMO_TOTP_KEY.hex())
