"""Quorum and pass-threshold arithmetic, in integers only (ADR 0013).

A fraction is stored as numerator/denominator; "at least n/d of N" is
`count * d >= N * n`, so two-thirds of 9 is exactly 6 and 5 is one short.
Thresholds:
- majority of votes cast (过半数, 以投票数计); abstentions are not votes
  cast: `for * 2 > for + against`.
- majority of those present (到会代表过半数): `for * 2 > present`.
- two-thirds of those present (到会代表三分之二以上): `for * 3 >= present * 2`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Threshold(models.TextChoices):
    MAJORITY_CAST = "majority_cast", _("赞成票超过投票数(赞成+反对)的一半")
    MAJORITY_PRESENT = "majority_present", _("赞成票超过到会代表的一半")
    TWO_THIRDS_PRESENT = "two_thirds_present", _("赞成票达到到会代表的三分之二以上")


class VoteMethod(models.TextChoices):
    HANDS = "hands", _("举手表决,计票")
    ROLL_CALL = "roll_call", _("逐人唱名表决")


class Proposers(models.TextChoices):
    RESIDENTS = "residents", _("本村(社区)居民均可提出议题")
    REPRESENTATIVES = "representatives", _("群众代表可提出议题")
    STAFF = "staff", _("仅由村(居)委会提出议题")


def at_least(count: int, total: int, numerator: int, denominator: int) -> bool:
    """count ≥ numerator/denominator × total, exactly."""
    return count * denominator >= total * numerator


def quorum_needed(expected: int, numerator: int, denominator: int) -> int:
    """The smallest head count that meets the quorum: ceil(expected × n / d)."""
    return -(-expected * numerator // denominator)


@dataclass(frozen=True)
class Outcome:
    passed: bool
    needed: int  # votes for needed to pass, given the counts
    basis: str  # Chinese explanation of the comparison


def judge(*, threshold: str, votes_for: int, votes_against: int, votes_abstain: int, present: int) -> Outcome:
    """Whether a motion passes under `threshold`."""
    if threshold == Threshold.MAJORITY_CAST:
        cast = votes_for + votes_against
        needed = cast // 2 + 1
        return Outcome(votes_for * 2 > cast, needed, f"投票数 {cast},赞成须多于 {cast}/2,即至少 {needed} 票")
    if threshold == Threshold.MAJORITY_PRESENT:
        needed = present // 2 + 1
        return Outcome(votes_for * 2 > present, needed, f"到会 {present} 人,赞成须多于半数,即至少 {needed} 票")
    if threshold == Threshold.TWO_THIRDS_PRESENT:
        needed = quorum_needed(present, 2, 3)
        return Outcome(votes_for * 3 >= present * 2, needed, f"到会 {present} 人,赞成须达三分之二,即至少 {needed} 票")
    raise ValueError(threshold)
