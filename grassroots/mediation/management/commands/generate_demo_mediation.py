"""``manage.py generate_demo_mediation [--seed N] [--subdistrict CODE] [--reference-date YYYY-MM-DD]``:
deterministic demo data for the mediation centre (see mediation/demo.py).
Run after load_hutian, generate_demo and create_demo_users; idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from grassroots.core.commands import DemoCommand, iso_date
from grassroots.mediation.demo import generate_demo_mediation


class Command(DemoCommand):
    help = "生成调解中心演示数据:调委会、网格法律顾问、约 60 件纠纷案件和法律咨询(可重复运行)。"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--reference-date", type=iso_date, default=None, help="演示数据的“今天”,默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_demo_mediation(
                seed=options["seed"], subdistrict_code=options["subdistrict"], reference_date=options["reference_date"]
            )
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.report(report)
