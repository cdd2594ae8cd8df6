"""Domain errors of 评事 (messages in Simplified Chinese)."""

from __future__ import annotations

from grassroots.core.errors import Conflict, DomainError

# One message for an unknown, used, void or missing code: a guesser learns
# nothing about which codes exist.
CODE_REJECTED = "投票码无效或已使用,请核对选票上的投票码。"


def code_rejected() -> DomainError:
    return DomainError("code_rejected", CODE_REJECTED, field="code")


def wrong_state(message: str) -> Conflict:
    return Conflict("wrong_state", message)
