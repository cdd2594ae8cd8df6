"""Load a provisional holiday schedule for a year the State Council has not
announced yet (see grassroots.core.workdays.holiday_year_load_provisional)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.core.errors import DomainError
from grassroots.core.workdays import holiday_year_load_provisional


def _dates(days: list[datetime.date]) -> str:
    return "、".join(f"{d.month}月{d.day}日" for d in days)


class Command(BaseCommand):
    help = "按《全国年节及纪念日放假办法》推算并载入某年的暂定法定节假日(未确认,不含调休上班日)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int, help="年份,例如 2027")

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        try:
            result = holiday_year_load_provisional(year=year)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        head = "已创建" if result.year_created else "已存在"
        self.stdout.write(f"{year} 年节假日年度{head}(暂定,待国务院通知确认)。")
        self.stdout.write(f"新增暂定节假日 {len(result.created)} 天:{_dates(result.created) or '无'}")
        self.stdout.write(f"更新 {len(result.updated)} 天,未变 {len(result.unchanged)} 天。")
        if result.skipped_confirmed:
            self.stdout.write(f"已确认的 {len(result.skipped_confirmed)} 天保持不变:{_dates(result.skipped_confirmed)}")
        self.stdout.write("注意:调休上班日只能依国务院通知在节假日维护中录入;确认前,受影响的期限均会显示暂定提示。")
