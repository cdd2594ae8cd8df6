"""``manage.py generate_demo_evaluation [--seed N] [--villages N]``: demo
appraisal sessions (run after generate_demo_matters); safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from grassroots.core.commands import DemoCommand
from grassroots.evaluation.demo import generate_demo_evaluation


class Command(DemoCommand):
    help = "生成演示月度评议:前两个月已结束(含选票和公示板),上月评议准备中;已存在时不重复生成。"
    subdistrict_option = False

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--villages", type=int, default=4, help="村/社区数量,默认 4")

    def handle(self, *args: Any, **options: Any) -> None:
        report = generate_demo_evaluation(seed=options["seed"], villages=options["villages"])
        self.stdout.write(self.style.SUCCESS(report.summary()))
