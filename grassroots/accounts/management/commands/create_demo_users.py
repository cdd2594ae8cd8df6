from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from grassroots.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, ensure_demo_users


class Command(BaseCommand):
    help = "创建每个角色一个演示账号(幂等),并打印登录信息。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            users = ensure_demo_users()
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"演示账号(密码均为 {DEMO_PASSWORD}):")
        for user in users:
            node = user.jurisdiction.label if user.jurisdiction else "全部"
            otp = "  需验证码" if user.role in settings.TWO_FACTOR_REQUIRED_ROLES else ""
            self.stdout.write(f"  {user.get_role_display():<12} 用户名 {user.username:<12} 辖区 {node}{otp}")
        self.stdout.write(
            f"标“需验证码”的账号登录后还要输入 6 位验证码(双因素认证):在手机身份验证器中手动添加密钥 "
            f"{DEMO_TOTP_SECRET}(基于时间),或运行 ./run manage demo_totp 查看当前验证码。"
        )
