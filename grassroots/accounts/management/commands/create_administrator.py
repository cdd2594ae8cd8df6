"""Bootstrap: create an administrator from the server's command line (ADR 0025)."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.accounts.roles import ADMIN_ROLES, Role
from grassroots.accounts.services import administrator_bootstrap
from grassroots.core.errors import DomainError
from grassroots.regions.models import Node


class Command(BaseCommand):
    help = (
        "在服务器上创建管理员账号(系统管理员、安全管理员、审计管理员),用于新装系统初始化,"
        "以及增设第二名安全管理员。密码从终端输入(或用 --password-stdin 从标准输入读取)。操作记入审计日志。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=sorted(ADMIN_ROLES))
        parser.add_argument("--display-name", default="")
        parser.add_argument("--jurisdiction", default="", help="辖区节点的区划代码(如街道代码),可不填")
        parser.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码(一行)")

    def handle(self, *args: Any, **options: Any) -> None:
        jurisdiction = None
        if options["jurisdiction"]:
            jurisdiction = Node.objects.filter(code=options["jurisdiction"]).order_by("depth").first()
            if jurisdiction is None:
                raise CommandError(f"没有区划代码为 {options['jurisdiction']} 的辖区节点。")
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("密码:")
            if getpass.getpass("再次输入密码:") != password:
                raise CommandError("两次输入的密码不一致。")
        try:
            account = administrator_bootstrap(
                username=options["username"],
                password=password,
                role=options["role"],
                display_name=options["display_name"],
                jurisdiction=jurisdiction,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"已创建{Role(account.role).label}账号 {account.username}。")
