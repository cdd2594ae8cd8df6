"""``manage.py generate_demo_publicity``: demo publications (晒事); run after
the matters, deliberation and evaluation demos. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from grassroots.publicity.demo import generate_demo_publicity


class Command(BaseCommand):
    help = "生成演示公示:议事决议、评议结果、评事考评排行、当前理事公示、草稿、撤回和一件异议;已存在时不重复生成。"

    def handle(self, *args: Any, **options: Any) -> None:
        report = generate_demo_publicity()
        self.stdout.write(self.style.SUCCESS(report.summary()))
