"""What the demo data commands share: the seed and subdistrict options, a
date option, and the line that reports what was made."""

from __future__ import annotations

import datetime
from typing import Any, Protocol

from django.core.management.base import BaseCommand, CommandError, CommandParser

__all__ = ["HUTIAN", "DemoCommand", "iso_date"]

# The demo subdistrict (湖田街道), by its statistical division code.
HUTIAN = "370303003000"


class DemoReport(Protocol):
    @property
    def created(self) -> Any: ...

    def summary(self) -> str: ...


def iso_date(value: str) -> datetime.date:
    """An option's YYYY-MM-DD date, or a Chinese error for the command line."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD(实际为 “{value}”)") from exc


class DemoCommand(BaseCommand):
    """A command that generates deterministic demo data: `--seed`, and
    `--subdistrict` unless `subdistrict_option` is off."""

    subdistrict_option = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2023, help="随机种子,默认 2023")
        if self.subdistrict_option:
            parser.add_argument("--subdistrict", default=HUTIAN, help="街道的统计用区划代码,默认湖田街道")

    def report(self, report: DemoReport) -> None:
        """The report's summary, in green when something was made."""
        self.stdout.write(self.style.SUCCESS(report.summary()) if report.created else report.summary())
