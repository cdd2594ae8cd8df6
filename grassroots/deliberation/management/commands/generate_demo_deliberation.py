"""``manage.py generate_demo_deliberation [--seed N] [--subdistrict CODE]``:
deterministic demo data for 议事 (see deliberation/demo.py). Run after
generate_demo_matters; idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.deliberation.demo import generate_demo_deliberation


class Command(BaseCommand):
    help = "生成议事演示数据:议事规则、近两个月的议事会议与决议、8 周的重点村与党政联席会议(可重复运行)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2023, help="随机种子,默认 2023")
        parser.add_argument("--subdistrict", default="370303003000", help="街道的统计用区划代码,默认湖田街道")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_demo_deliberation(seed=options["seed"], subdistrict_code=options["subdistrict"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()) if report.created else report.summary())
