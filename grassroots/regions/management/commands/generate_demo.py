"""``manage.py generate_demo [--seed N] [--subdistrict CODE] [--reset]``:
deterministic demo grids, buildings, units, households, residents and
representatives under a subdistrict (Hutian by default). See regions/demo.py."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from grassroots.core.commands import DemoCommand, iso_date
from grassroots.core.errors import DomainError
from grassroots.regions.demo import generate_demo


class Command(DemoCommand):
    help = "生成演示用的网格、楼栋、单元、住户、居民和群众代表(同一种子结果相同)。"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--reset", action="store_true", help="先删除该街道下已有的演示数据再生成")
        parser.add_argument("--reference-date", type=iso_date, default=None, help="计算年龄的基准日,默认今天")

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
        self.report(report)
