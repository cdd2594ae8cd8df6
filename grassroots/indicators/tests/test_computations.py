"""The ledger's arithmetic (computations.py): examples and properties."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ..computations import (
    change_percent,
    cumulative_from_monthly,
    monthly_from_cumulative,
    show_amount,
    show_percent,
)

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
monthlies = st.lists(amounts, min_size=12, max_size=12)


def test_examples():
    cumulative = {1: Decimal("5"), 2: Decimal("11.5"), 3: Decimal("18")}
    assert monthly_from_cumulative(cumulative, 1) == Decimal("5")  # January is itself
    assert monthly_from_cumulative(cumulative, 2) == Decimal("6.5")
    assert monthly_from_cumulative(cumulative, 4) is None
    assert monthly_from_cumulative({2: Decimal(3)}, 2) is None  # no January
    assert cumulative_from_monthly({1: Decimal(1), 2: Decimal(2)}, 2) == Decimal(3)
    assert cumulative_from_monthly({2: Decimal(2)}, 2) is None
    assert change_percent(Decimal("56"), Decimal("51.71")) == Decimal("8.3")
    assert change_percent(Decimal("1"), Decimal("0")) is None
    assert change_percent(None, Decimal("3")) is None
    assert change_percent(Decimal("3"), None) is None
    # Half up at the first decimal: 0.05 → 0.1, −0.05 → −0.1.
    assert change_percent(Decimal("100.05"), Decimal("100")) == Decimal("0.1")
    assert change_percent(Decimal("99.95"), Decimal("100")) == Decimal("-0.1")
    assert show_percent(Decimal("12.0")) == "+12.0%"
    assert show_percent(Decimal("-3.5")) == "-3.5%"
    assert show_percent(None) == "—"
    assert show_amount(Decimal("56.0000")) == "56"
    assert show_amount(Decimal("9.7000")) == "9.7"
    assert show_amount(Decimal("1810.00")) == "1810"
    assert show_amount(None) == "—"


@given(monthlies)
def test_cumulative_and_monthly_are_inverse(values):
    monthly = dict(enumerate(values, start=1))
    cumulative = {m: cumulative_from_monthly(monthly, m) for m in range(1, 13)}
    for m in range(1, 13):
        assert monthly_from_cumulative(cumulative, m) == monthly[m]
    assert cumulative[12] == sum(values)


@given(monthlies, st.integers(min_value=1, max_value=12))
def test_a_missing_month_is_missing_from_then_on(values, gap):
    monthly = {m: v for m, v in enumerate(values, start=1) if m != gap}
    for m in range(1, 13):
        assert (cumulative_from_monthly(monthly, m) is None) == (m >= gap)


@given(amounts, amounts.filter(lambda b: b != 0))
def test_change_is_rounded_to_a_tenth_and_signed(current, base):
    change = change_percent(current, base)
    assert change is not None
    assert change == change.quantize(Decimal("0.1"))
    exact = (current - base) * 100 / base
    assert abs(change - exact) <= Decimal("0.05")
    assert (change > 0) <= (current > base)
    assert (change < 0) <= (current < base)
    if current == base:
        assert change == 0


@given(amounts)
def test_no_change_against_a_zero_or_missing_base(current):
    assert change_percent(current, Decimal(0)) is None
    assert change_percent(current, None) is None
