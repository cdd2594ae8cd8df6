"""The split of a profit by share (services/allocation.py): exact, in fen,
summing to the total, within one fen of each exact amount, deterministic."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ..services.allocation import AllocationError, allocate

D = Decimal


def test_equal_thirds_give_the_extra_fen_by_key_order():
    shares = [("b", D("33.3333")), ("a", D("33.3333")), ("c", D("33.3334"))]
    # 100.00 yuan = 10000 fen: exact 3333.33, 3333.33, 3333.34 fen.
    assert allocate(D("100.00"), shares) == {"a": D("33.33"), "b": D("33.33"), "c": D("33.34")}
    # 0.02 yuan to three equal-ish holders: the two largest remainders get a fen.
    result = allocate(D("0.02"), [("x", D("33.3334")), ("y", D("33.3333")), ("z", D("33.3333"))])
    assert result == {"x": D("0.01"), "y": D("0.01"), "z": D("0.00")}


def test_ties_are_broken_by_key():
    shares = [("3", D("25")), ("1", D("25")), ("2", D("25")), ("4", D("25"))]
    assert allocate(D("0.03"), shares) == {"1": D("0.01"), "2": D("0.01"), "3": D("0.01"), "4": D("0.00")}


def test_seed_company_four_villages():
    shares = [("370303003206", D("30")), ("370303003015", D("25")), ("370303003207", D("25")), ("9", D("20"))]
    result = allocate(D("1234567.89"), shares)
    assert sum(result.values()) == D("1234567.89")
    assert result["370303003206"] == D("370370.37")


@pytest.mark.parametrize(
    ("total", "shares", "message"),
    [
        (D("100"), [], "没有股东"),
        (D("1.001"), [("a", D("100"))], "精确到分"),
        (D("-1.00"), [("a", D("100"))], "精确到分"),
        (D("1.00"), [("a", D("60")), ("b", D("30"))], "100%"),
        (D("1.00"), [("a", D("100")), ("a", D("0"))], "重复"),
        (D("1.00"), [("a", D("100.0001")), ("b", D("-0.0001"))], "大于零"),
    ],
)
def test_bad_input_is_refused(total, shares, message):
    with pytest.raises(AllocationError, match=message):
        allocate(total, shares)


@st.composite
def share_sets(draw: st.DrawFn) -> list[tuple[str, Decimal]]:
    """2–12 shares in units of 0.0001 % summing to exactly 100 %."""
    n = draw(st.integers(min_value=1, max_value=12))
    units = 1_000_000
    cuts = sorted(draw(st.lists(st.integers(1, units - 1), min_size=n - 1, max_size=n - 1, unique=True)))
    bounds = [0, *cuts, units]
    keys = draw(st.lists(st.text("0123456789", min_size=1, max_size=6), min_size=n, max_size=n, unique=True))
    return [(keys[i], D(bounds[i + 1] - bounds[i]) / D(10000)) for i in range(n)]


totals = st.integers(min_value=0, max_value=10**13).map(lambda fen: D(fen) / D(100))


@settings(max_examples=300, deadline=None)
@given(total=totals, shares=share_sets())
def test_amounts_sum_to_the_total_in_fen(total, shares):
    result = allocate(total, shares)
    assert sum(result.values()) == total
    assert set(result) == {k for k, _ in shares}
    for key, share in shares:
        amount = result[key]
        assert amount == amount.quantize(D("0.01")) and amount >= 0
        exact = total * share / D(100)
        # floor(exact) or one fen above it, never further from the exact amount.
        assert amount <= exact + D("0.01") and amount > exact - D("0.01")


@settings(max_examples=100, deadline=None)
@given(total=totals, shares=share_sets(), data=st.data())
def test_order_of_input_does_not_matter(total, shares, data):
    shuffled = data.draw(st.permutations(shares))
    assert allocate(total, shares) == allocate(total, shuffled)


@settings(max_examples=100, deadline=None)
@given(total=totals, shares=share_sets())
def test_extra_fen_go_to_the_largest_remainders(total, shares):
    result = allocate(total, shares)
    fen = int(total * 100)
    rema = {k: (D(fen) * s / D(100)) % 1 for k, s in shares}
    bumped = {k for k, s in shares if int(result[k] * 100) > int(D(fen) * s / D(100))}
    for k in bumped:
        for other, _ in shares:
            if other not in bumped:
                assert rema[k] > rema[other] or (rema[k] == rema[other] and k < other)
