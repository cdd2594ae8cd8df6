"""``manage.py generate_demo_livelihood``: schools of the children, care
flags, this month's visits and recent health rounds (see livelihood/demo.py).
Run after generate_demo, create_demo_users and generate_demo_matters; safe to
run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.core.errors import DomainError

from ...demo import generate_demo_livelihood


class Command(BaseCommand):
    help = "生成民生关爱演示数据(学龄儿童学校、关爱对象标记、本月走访、健康巡诊);已有数据时不重复生成。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--subdistrict", default="370303003000", help="街道的统计用区划代码,默认湖田街道")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_demo_livelihood(subdistrict_code=options["subdistrict"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()) if report.created else report.summary())
