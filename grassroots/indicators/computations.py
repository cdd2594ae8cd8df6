"""The arithmetic of the ledger, pure and Decimal: nothing here is typed by a
user. A month is 1..12 within a year; `None` is a missing figure.

- monthly from cumulative: this month's cumulative − last month's; January is
  its cumulative (the year starts again);
- cumulative from monthly: the sum from January, missing if any month is;
- change in % (year-on-year, month-on-month): (current − base) / base × 100,
  rounded half up to 0.1 (ROUND_HALF_UP, the statistics offices' rounding);
  missing when either figure is missing or the base is zero."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")
DASH = "—"


def monthly_from_cumulative(cumulative: Mapping[int, Decimal | None], month: int) -> Decimal | None:
    current = cumulative.get(month)
    if current is None:
        return None
    if month == 1:
        return current
    previous = cumulative.get(month - 1)
    return None if previous is None else current - previous


def cumulative_from_monthly(monthly: Mapping[int, Decimal | None], month: int) -> Decimal | None:
    total = Decimal(0)
    for m in range(1, month + 1):
        value = monthly.get(m)
        if value is None:
            return None
        total += value
    return total


def change_percent(current: Decimal | None, base: Decimal | None) -> Decimal | None:
    if current is None or base is None or base == 0:
        return None
    return ((current - base) * 100 / base).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def show_percent(value: Decimal | None) -> str:
    """+12.3% / −4.0% / — for a missing change."""
    if value is None:
        return DASH
    return f"{'+' if value > 0 else ''}{value}%"


def show_amount(value: Decimal | None) -> str:
    """A figure without trailing zeros (56, 9.7, 1810), — when missing."""
    if value is None:
        return DASH
    text = format(value.normalize(), "f")
    return text
