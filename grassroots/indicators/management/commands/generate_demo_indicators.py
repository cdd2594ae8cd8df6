"""``manage.py generate_demo_indicators``: the subdistrict's monthly indicator
ledgers from January 2022 to September 2023 (see indicators/demo.py). Run
after load_hutian; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from grassroots.core.commands import DemoCommand
from grassroots.core.errors import DomainError

from ...demo import generate_demo_indicators


class Command(DemoCommand):
    help = "生成演示经济指标月报(2022年1月至2023年9月,2023年1—9月累计与简报一致);已有月报时不重复生成。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_demo_indicators(subdistrict_code=options["subdistrict"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.report(report)
