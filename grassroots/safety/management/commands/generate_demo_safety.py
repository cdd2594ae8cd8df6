"""``manage.py generate_demo_safety``: demo premises, an inspection sweep and
hazards in every state (see safety/demo.py). Run after generate_demo,
create_demo_users and generate_demo_addresses; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.core.errors import DomainError

from ...demo import generate_demo_safety


class Command(BaseCommand):
    help = "生成演示安全检查场所(约 150 处)、一轮检查和各状态的隐患;已有场所时不重复生成。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--subdistrict", default="370303003000", help="街道的统计用区划代码,默认湖田街道")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_demo_safety(subdistrict_code=options["subdistrict"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()) if report.created else report.summary())
