"""Quorum and threshold arithmetic: exactly at the line and one short, for
every rule type, and the same numbers through `resolution_record`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.deliberation.rules import Threshold, at_least, judge, quorum_needed


@pytest.mark.parametrize(
    ("present", "expected", "met"),
    [
        (6, 9, True),
        (5, 9, False),
        (8, 12, True),
        (7, 12, False),
        (7, 10, True),
        (6, 10, False),
        (2, 3, True),
        (1, 3, False),
    ],
)
def test_two_thirds_quorum_exact_and_one_short(present, expected, met):
    assert at_least(present, expected, 2, 3) is met
    assert (present >= quorum_needed(expected, 2, 3)) is met


@pytest.mark.parametrize(("expected", "needed"), [(9, 6), (10, 7), (11, 8), (12, 8), (1, 1), (0, 0)])
def test_quorum_needed_is_exact_ceiling(expected, needed):
    assert quorum_needed(expected, 2, 3) == needed


@pytest.mark.parametrize(
    ("votes", "present", "passed"),
    [
        ((6, 3, 0), 9, True),  # exactly two-thirds of present
        ((5, 4, 0), 9, False),  # one short
        ((8, 4, 0), 12, True),
        ((7, 5, 0), 12, False),
    ],
)
def test_two_thirds_of_present(votes, present, passed):
    outcome = judge(
        threshold=Threshold.TWO_THIRDS_PRESENT,
        votes_for=votes[0],
        votes_against=votes[1],
        votes_abstain=votes[2],
        present=present,
    )
    assert outcome.passed is passed


@pytest.mark.parametrize(
    ("votes", "present", "passed"),
    [((5, 0, 4), 9, True), ((4, 0, 5), 9, False), ((6, 2, 2), 10, True), ((5, 5, 0), 10, False)],
)
def test_majority_of_present(votes, present, passed):
    outcome = judge(
        threshold=Threshold.MAJORITY_PRESENT,
        votes_for=votes[0],
        votes_against=votes[1],
        votes_abstain=votes[2],
        present=present,
    )
    assert outcome.passed is passed


@pytest.mark.parametrize(
    ("votes", "present", "passed"),
    # Abstentions are not votes cast: 3 for, 2 against passes even with 4 abstaining.
    [((3, 2, 4), 9, True), ((3, 3, 3), 9, False), ((4, 3, 0), 9, True), ((0, 0, 9), 9, False)],
)
def test_majority_of_votes_cast(votes, present, passed):
    outcome = judge(
        threshold=Threshold.MAJORITY_CAST,
        votes_for=votes[0],
        votes_against=votes[1],
        votes_abstain=votes[2],
        present=present,
    )
    assert outcome.passed is passed


@given(st.integers(0, 500), st.integers(1, 500), st.integers(1, 20), st.integers(1, 20))
def test_integer_quorum_matches_exact_fraction(count, total, n, d):
    from fractions import Fraction

    assert at_least(count, total, n, d) == (Fraction(count) >= Fraction(n, d) * total)
