"""manage.py wechat_menu: create the official account's menu (menu/create)
with entries opening the public report and tracking pages. Run once after
configuring the account, and again when the public address changes."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from grassroots.channels.backends import ProviderError
from grassroots.channels.services.menu import account_menu, menu_create


class Command(BaseCommand):
    help = "创建微信公众号菜单(我要说事、进度查询、公示公开)。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只显示菜单,不调用微信接口。")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            self.stdout.write(json.dumps(account_menu(), ensure_ascii=False, indent=2))
            return
        try:
            menu_create()
        except ProviderError as exc:
            raise CommandError(f"公众号菜单创建失败:{exc}") from exc
        self.stdout.write(self.style.SUCCESS("公众号菜单已创建。"))
