"""``manage.py load_hutian``: import the shipped 2023 divisions of 湖田街道
(1 subdistrict, 23 villages/communities). Safe to run again."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from grassroots.regions.importer import hutian_load

from .import_divisions import report_or_fail


class Command(BaseCommand):
    help = "导入湖田街道 2023 年统计用区划(1 个街道、23 个村/社区),可重复执行。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report_or_fail(self, hutian_load(), time.perf_counter() - started)
