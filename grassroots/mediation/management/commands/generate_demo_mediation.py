"""``manage.py generate_demo_mediation [--seed N] [--subdistrict CODE] [--reference-date YYYY-MM-DD]``:
deterministic demo data for the mediation centre (see mediation/demo.py).
Run after load_hutian, generate_demo and create_demo_users; idempotent."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.mediation.demo import generate_demo_mediation


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD(实际为 “{value}”)") from exc


class Command(BaseCommand):
    help = "生成调解中心演示数据:调委会、网格法律顾问、约 60 件纠纷案件和法律咨询(可重复运行)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2023, help="随机种子,默认 2023")
        parser.add_argument("--subdistrict", default="370303003000", help="街道的统计用区划代码,默认湖田街道")
        parser.add_argument("--reference-date", type=_date, default=None, help="演示数据的“今天”,默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_demo_mediation(
                seed=options["seed"], subdistrict_code=options["subdistrict"], reference_date=options["reference_date"]
            )
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()) if report.created else report.summary())
