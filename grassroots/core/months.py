"""The one parser of `YYYY-MM` months used by pages and the API (ADR 0029)."""

from __future__ import annotations

import datetime
import re

# ASCII digits only: \d would also take full-width and Arabic-Indic digits.
MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{1,2})$")
# The platform keeps no records from before 2000; year 0 or 9999 is a typo
# (and year 0 does not exist in Python's calendar).
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100
MONTH_FORMAT = "%Y-%m"
MONTH_ERROR = f"月份应为 YYYY-MM 格式,年份在 {EARLIEST_YEAR}–{LATEST_YEAR} 之间,例如 2026-10。"


def parse_month(value: object) -> datetime.date | None:
    """ "2026-11" → 2026-11-01; None for anything else."""
    if not isinstance(value, str):
        return None
    match = MONTH_RE.match(value.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (EARLIEST_YEAR <= year <= LATEST_YEAR and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)
