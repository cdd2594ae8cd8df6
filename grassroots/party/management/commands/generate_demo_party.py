"""``manage.py generate_demo_party``: demo party branches, members, pairs,
trainings and last month's 红黄榜 (see party/demo.py). Run after
generate_demo and create_demo_users; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.core.errors import DomainError

from ...demo import generate_demo_party


class Command(BaseCommand):
    help = "生成演示党组织、党员、结对帮扶、专题培训和上月红黄榜;已有党组织时不重复生成。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--subdistrict", default="370303003000", help="街道的统计用区划代码,默认湖田街道")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_demo_party(subdistrict_code=options["subdistrict"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()) if report.created else report.summary())
