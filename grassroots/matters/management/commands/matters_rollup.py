"""``manage.py matters_rollup --rebuild [--history-days N]`` recomputes the
matter rollup from the matters and their timelines; ``--check`` compares the
rollup with that scan and fails when they differ (ADR 0047)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.matters.services.rollup_rebuild import matter_rollup_differences, matter_rollup_rebuild


class Command(BaseCommand):
    help = "重建或核对事项统计汇总(看板读取的按辖区、按日计数)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="从事项及其动态重新计算汇总")
        parser.add_argument("--history-days", type=int, default=31, help="重建时补记最近多少天的日末逾期数,默认 31")
        parser.add_argument("--check", action="store_true", help="核对汇总与逐条统计是否一致,不一致时失败")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["rebuild"] and not options["check"]:
            raise CommandError("请指定 --rebuild 或 --check。")
        if options["history_days"] < 0 or options["history_days"] > 3660:
            raise CommandError("--history-days 须在 0 到 3660 之间。")
        if options["rebuild"]:
            written = matter_rollup_rebuild(history_days=options["history_days"])
            self.stdout.write(
                f"已重建事项统计汇总:当前计数 {written['tally']} 行,每日计数 {written['days']} 行,"
                f"补记日末逾期 {written['history_days']} 天。"
            )
        if options["check"]:
            differences = matter_rollup_differences()
            if differences:
                raise CommandError("事项统计汇总与逐条统计不一致:\n" + "\n".join(differences))
            self.stdout.write("事项统计汇总与逐条统计一致。")
