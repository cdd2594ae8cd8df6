"""``manage.py generate_demo_channels``: the WeChat channels' demo data (see
channels/demo.py). Run after the publicity demo and create_demo_users; safe
to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError

from grassroots.core.commands import DemoCommand
from grassroots.core.errors import DomainError

from ...demo import generate_demo_channels


class Command(DemoCommand):
    help = "生成演示微信渠道数据(居民群机器人、公众号来信事项、公示推送);已有时不重复生成。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = generate_demo_channels(subdistrict_code=options["subdistrict"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.report(report)
