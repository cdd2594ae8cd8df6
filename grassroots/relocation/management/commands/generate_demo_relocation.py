"""``manage.py generate_demo_relocation``: the seed's relocation projects
(火车站北广场 with 11,698 units at 99.59% signed, the road projects and their
batches; see relocation/demo.py). Run after generate_demo and
create_demo_users; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from grassroots.core.commands import DemoCommand
from grassroots.core.errors import DomainError

from ...demo import generate_demo_relocation


class Command(DemoCommand):
    help = "生成演示征迁项目(火车站北广场 11698 户等)和征迁户;已有时不重复生成。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_demo_relocation(subdistrict_code=options["subdistrict"], seed=options["seed"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.report(report)
