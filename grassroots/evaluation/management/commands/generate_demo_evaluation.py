"""``manage.py generate_demo_evaluation [--seed N] [--villages N]``: demo
appraisal sessions (run after generate_demo_matters); safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from grassroots.evaluation.demo import generate_demo_evaluation


class Command(BaseCommand):
    help = "生成演示月度评议:前两个月已结束(含选票和公示板),上月评议准备中;已存在时不重复生成。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2023, help="随机种子,默认 2023")
        parser.add_argument("--villages", type=int, default=4, help="村/社区数量,默认 4")

    def handle(self, *args: Any, **options: Any) -> None:
        report = generate_demo_evaluation(seed=options["seed"], villages=options["villages"])
        self.stdout.write(self.style.SUCCESS(report.summary()))
