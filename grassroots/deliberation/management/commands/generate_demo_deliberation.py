"""``manage.py generate_demo_deliberation [--seed N] [--subdistrict CODE]``:
deterministic demo data for 议事 (see deliberation/demo.py). Run after
generate_demo_matters; idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from grassroots.core.commands import DemoCommand
from grassroots.deliberation.demo import generate_demo_deliberation


class Command(DemoCommand):
    help = "生成议事演示数据:议事规则、近两个月的议事会议与决议、8 周的重点村与党政联席会议(可重复运行)。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_demo_deliberation(seed=options["seed"], subdistrict_code=options["subdistrict"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.report(report)
