"""Chinese messages for matter rules; codes are stable for API clients."""

from grassroots.core.errors import DomainError


class MatterError(DomainError):
    pass


class TransitionNotAllowed(MatterError):
    status = 409

    def __init__(self, action_label: str, state_label: str) -> None:
        super().__init__("transition_not_allowed", f"事项当前为“{state_label}”,不能{action_label}。")


class StaleState(MatterError):
    status = 409

    def __init__(self) -> None:
        super().__init__("stale_state", "事项已被他人处理,请刷新后重试。")


class IdempotencyKeyMismatch(MatterError):
    """A retry must repeat the first request; a different one under the same
    key is a client bug, refused rather than answered with the first matter."""

    status = 422

    def __init__(self) -> None:
        super().__init__(
            "idempotency_key_mismatch",
            "该幂等键已用于内容不同的另一次提交;重试请原样提交,新的登记请换一个新的幂等键。",
        )
