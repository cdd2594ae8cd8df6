"""``manage.py generate_demo [--seed N] [--subdistrict CODE] [--reset]``:
deterministic demo grids, buildings, units, households, residents and
representatives under a subdistrict (Hutian by default). See regions/demo.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.core.errors import DomainError
from grassroots.regions.demo import generate_demo


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD(实际为 “{value}”)") from exc


class Command(BaseCommand):
    help = "生成演示用的网格、楼栋、单元、住户、居民和群众代表(同一种子结果相同)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2023, help="随机种子,默认 2023")
        parser.add_argument("--subdistrict", default="370303003000", help="街道的统计用区划代码,默认湖田街道")
        parser.add_argument("--reset", action="store_true", help="先删除该街道下已有的演示数据再生成")
        parser.add_argument("--reference-date", type=_date, default=None, help="计算年龄的基准日,默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_demo(
                seed=options["seed"],
                subdistrict_code=options["subdistrict"],
                reference_date=options["reference_date"],
                reset=options["reset"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()) if report.created else report.summary())
