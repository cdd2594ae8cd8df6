from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from grassroots.accounts.demo import demo_totp_code


class Command(BaseCommand):
    help = "打印演示账号当前的双因素验证码(仅演示密钥,30 秒内有效)。"

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"演示账号当前验证码:{demo_totp_code()}(30 秒内有效,每个只能用一次)")
