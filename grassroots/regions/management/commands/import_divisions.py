"""``manage.py import_divisions PATH [--dry-run]``: import statistical
divisions (CSV or XLSX) into the region tree. See regions/importer.py."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.regions.importer import ImportReport, divisions_import


def report_or_fail(command: BaseCommand, report: ImportReport, seconds: float) -> None:
    if report.errors:
        lines = "\n".join(report.errors)
        raise CommandError(f"导入失败,共 {len(report.errors)} 处错误,未写入任何数据:\n{lines}")
    command.stdout.write(command.style.SUCCESS(f"{report.summary()},用时 {seconds:.1f} 秒。"))


class Command(BaseCommand):
    help = "导入统计用区划代码(CSV 或 XLSX,表头 code,name,level,parent_code[,street_name][,kind])。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV 或 XLSX 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查并统计,不写入数据库")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"找不到文件:{path}")
        started = time.perf_counter()
        report = divisions_import(source=path, dry_run=options["dry_run"])
        report_or_fail(self, report, time.perf_counter() - started)
