"""``manage.py generate_demo_matters [--seed N] [--count N]``: deterministic
demo matters in every state across the Hutian villages (see matters/demo.py).
Run after load_hutian, generate_demo and create_demo_users; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from grassroots.core.commands import DemoCommand
from grassroots.core.errors import DomainError
from grassroots.matters.demo import generate_demo_matters


class Command(DemoCommand):
    help = "生成演示事项(各种状态、逾期、升级、公示、评价;同一种子结果相同),已有演示事项时不重复生成。"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--count", type=int, default=300, help="事项数量,默认 300")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["count"] < 1:
            raise CommandError("事项数量至少为 1。")
        try:
            report = generate_demo_matters(
                seed=options["seed"], count=options["count"], subdistrict_code=options["subdistrict"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.report(report)
