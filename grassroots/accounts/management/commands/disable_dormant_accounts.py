"""Disable accounts nobody signed in with for ACCOUNT_DORMANT_DAYS (ADR 0059);
the same work as the daily Celery beat job, for operators and cron."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from grassroots.accounts.policy.dormant import dormant_accounts_disable, dormant_candidates


class Command(BaseCommand):
    help = "停用连续 ACCOUNT_DORMANT_DAYS 天未登录的账号(每日定时任务的同一操作)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只列出将被停用的账号,不做修改。")

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.ACCOUNT_DORMANT_DAYS
        if options["dry_run"]:
            names = list(dormant_candidates().values_list("username", flat=True))
            self.stdout.write(f"连续 {days} 天未登录、将被停用的账号:{len(names)} 个")
            for name in names:
                self.stdout.write(f"  {name}")
            return
        disabled = dormant_accounts_disable()
        self.stdout.write(self.style.SUCCESS(f"已停用连续 {days} 天未登录的账号 {len(disabled)} 个。"))
