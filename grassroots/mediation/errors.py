"""Chinese messages for mediation rules; codes are stable for API clients."""

from grassroots.core.errors import DomainError


class MediationError(DomainError):
    pass


class TransitionNotAllowed(MediationError):
    status = 409

    def __init__(self, action_label: str, state_label: str) -> None:
        super().__init__("transition_not_allowed", f"案件当前为“{state_label}”,不能{action_label}。")


class StaleState(MediationError):
    status = 409

    def __init__(self) -> None:
        super().__init__("stale_state", "案件已被他人处理,请刷新后重试。")


class ReferralConflict(MediationError):
    """A referral that the matter's or the referral's current state forbids."""

    status = 409
