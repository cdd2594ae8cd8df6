"""The split of a profit among shareholders by share, in whole fen (0.01
yuan), exactly.

Rule (ADR 0040): each shareholder's exact amount total × share / 100 is
floored to the fen; the fen left over (fewer than the number of
shareholders) go one each to the shareholders with the largest fractional
remainders; equal remainders are ordered by the shareholder's key (the
village code), ascending. The amounts therefore always sum to the total, no
one is more than one fen from their exact amount, and the same input always
gives the same answer. Pure: no database."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR, Context, Decimal, localcontext

FEN = Decimal("0.01")
HUNDRED = Decimal(100)


class AllocationError(ValueError):
    pass


def allocate(total: Decimal, shares: Sequence[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """`{key: amount}` for `shares` = [(key, percent)], percents summing to 100."""
    if not shares:
        raise AllocationError("没有股东,无法分配。")
    if total != total.quantize(FEN) or total < 0:
        raise AllocationError("可分配金额应为不小于零、精确到分的金额。")
    keys = [key for key, _ in shares]
    if len(set(keys)) != len(keys):
        raise AllocationError("股东重复。")
    if any(share <= 0 for _, share in shares):
        raise AllocationError("持股比例应大于零。")
    if sum((share for _, share in shares), Decimal(0)) != HUNDRED:
        raise AllocationError("持股比例合计应为 100%。")
    # Enough digits that total_fen × share is exact: no rounding before ours.
    with localcontext(Context(prec=60)):
        total_fen = int(total / FEN)
        exact = {key: Decimal(total_fen) * share / HUNDRED for key, share in shares}
        floors = {key: int(value.to_integral_value(rounding=ROUND_FLOOR)) for key, value in exact.items()}
        left = total_fen - sum(floors.values())
        order = sorted(keys, key=lambda key: (-(exact[key] - floors[key]), key))
        for key in order[:left]:
            floors[key] += 1
        return {key: (Decimal(fen) * FEN).quantize(FEN) for key, fen in floors.items()}
