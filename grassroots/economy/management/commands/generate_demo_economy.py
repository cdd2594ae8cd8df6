"""``manage.py generate_demo_economy``: the demo collective economy (see
economy/demo.py). Run after generate_demo; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from grassroots.core.commands import DemoCommand
from grassroots.core.errors import DomainError

from ...demo import generate_demo_economy


class Command(DemoCommand):
    help = (
        "生成演示集体经济数据:联村党委、山东宏湖控股有限公司及股权、各村一年的集体收入和年度分配方案;已有时不重复生成。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_demo_economy(subdistrict_code=options["subdistrict"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.report(report)
