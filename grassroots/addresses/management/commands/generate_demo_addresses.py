"""``manage.py generate_demo_addresses``: the demo address register and a
campaign part done (see addresses/demo.py). Run after generate_demo and
create_demo_users; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.core.errors import DomainError

from ...demo import generate_demo_addresses


class Command(BaseCommand):
    help = "生成演示标准地址(每栋楼、每个单元、每户)和一次进行中的地址核采;已有地址时不重复生成。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--subdistrict", default="370303003000", help="街道的统计用区划代码,默认湖田街道")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_demo_addresses(subdistrict_code=options["subdistrict"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()) if report.created else report.summary())
