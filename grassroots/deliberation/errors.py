"""Deliberation errors: typed domain errors with Chinese messages."""

from __future__ import annotations

from grassroots.core.errors import Conflict, DomainError


class DeliberationError(DomainError):
    """Bad input or a broken rule (400)."""


class TransitionNotAllowed(Conflict):
    def __init__(self, action: object, state: object) -> None:
        super().__init__("transition_not_allowed", f"会议当前状态为“{state}”,不能{action}。")


class QuorumNotMet(Conflict):
    def __init__(self, present: int, needed: int, expected: int) -> None:
        super().__init__(
            "quorum_not_met", f"到会 {present} 人,未达到法定人数 {needed} 人(应到 {expected} 人),不能表决。"
        )


class NobodyExpected(Conflict):
    """A meeting opened with nobody expected (应到 0 人) can never reach a
    quorum; it is refused when opening, and a meeting opened before that
    rule is told to adjourn or cancel rather than "0 present of quorum 0"."""

    def __init__(self, message: str) -> None:
        super().__init__("nobody_expected", message)


class StaleState(Conflict):
    def __init__(self) -> None:
        super().__init__("stale_state", "会议状态已被他人更改,请刷新页面后再试。")
