"""Domain errors of social-organisation registration (messages in
Simplified Chinese). The API turns them into problem documents, pages into
form errors."""

from __future__ import annotations

from grassroots.core.errors import DomainError

from .states import Action, State

STATE_LABELS = {str(value): str(label) for value, label in State.choices}
ACTION_LABELS = {str(value): str(label) for value, label in Action.choices}


class RegistrationError(DomainError):
    pass


class TransitionNotAllowed(RegistrationError):
    status = 409

    def __init__(self, action: str, state: str) -> None:
        super().__init__(
            "transition_not_allowed",
            f"申请当前为“{STATE_LABELS.get(state, state)}”,不能{ACTION_LABELS.get(action, action)}。",
        )


class NotEditable(RegistrationError):
    status = 409

    def __init__(self) -> None:
        super().__init__("not_editable", "申请已提交,正在审查,暂不能修改;如需补正,请等待补正告知。")


class StaleState(RegistrationError):
    status = 409

    def __init__(self) -> None:
        super().__init__("stale_state", "申请已被他人处理,请刷新后重试。")
