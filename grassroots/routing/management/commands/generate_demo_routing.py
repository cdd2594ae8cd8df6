"""``manage.py generate_demo_routing``: train the demo's category router from
the closed demo matters and accept a few reported ones with its suggestion
(run after generate_demo_matters)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from grassroots.routing.demo import generate_demo_routing
from grassroots.routing.errors import RoutingError


class Command(BaseCommand):
    help = "用演示事项训练分类推荐模型,并按推荐受理几件待受理事项。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(generate_demo_routing())
        except RoutingError as exc:
            raise CommandError(exc.message) from exc
