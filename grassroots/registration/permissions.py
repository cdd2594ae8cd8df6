"""Who may do what to an application, for pages and the API: which actions
the current state allows (states.py) and which capability each needs.
Registration is not tree-scoped (ADR 0011): WINDOW_WORK opens the window's
work, WINDOW_DECIDE the decisions (approve, refuse, extend, revoke after a
false commitment). Applicants reach their own application only through its
tracking code and may act only while it is theirs to change."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.errors import PermissionDenied

from .models import Application, Commitment
from .states import Action, State, allowed

EDITABLE = frozenset({State.DRAFT, State.RETURNED})

# Staff actions in display order → the capability each needs.
STAFF_ACTIONS: dict[str, str] = {
    "edit": Capability.WINDOW_WORK,
    "upload": Capability.WINDOW_WORK,
    "commitment-create": Capability.WINDOW_WORK,
    "commitment-sign": Capability.WINDOW_WORK,
    "submit": Capability.WINDOW_WORK,
    "resubmit": Capability.WINDOW_WORK,
    "review": Capability.WINDOW_WORK,
    "return": Capability.WINDOW_WORK,
    "accept": Capability.WINDOW_WORK,
    "suspend": Capability.WINDOW_WORK,
    "resume": Capability.WINDOW_WORK,
    "extend": Capability.WINDOW_DECIDE,
    "approve": Capability.WINDOW_DECIDE,
    "refuse": Capability.WINDOW_DECIDE,
    "commitment-verify": Capability.WINDOW_WORK,
    "withdraw": Capability.WINDOW_WORK,
}
PUBLIC_ACTIONS = ("edit", "upload", "commitment-create", "commitment-sign", "submit", "resubmit", "withdraw")
# The capability each state-table action needs; None is the applicant's own
# act (whoever holds the tracking code; staff and agents may act for them).
TRANSITION_CAPABILITY: dict[str, str | None] = {
    Action.SUBMIT: None,
    Action.RESUBMIT: None,
    Action.WITHDRAW: None,
    Action.RETURN: Capability.WINDOW_WORK,
    Action.ACCEPT: Capability.WINDOW_WORK,
    Action.SUSPEND: Capability.WINDOW_WORK,
    Action.RESUME: Capability.WINDOW_WORK,
    Action.APPROVE: Capability.WINDOW_DECIDE,
    Action.REFUSE: Capability.WINDOW_DECIDE,
    Action.ISSUE: Capability.WINDOW_DECIDE,
    # Voiding a pending request nobody verified as the organisation's (renewal by mail).
    Action.VOID: Capability.WINDOW_WORK,
}


def require_transition(actor: Any, action: str) -> None:
    capability = TRANSITION_CAPABILITY[str(action)]
    if capability is not None and not user_can(actor, capability):
        raise PermissionDenied("您的角色没有此项权限。")


TRANSITION_OF = {
    "submit": Action.SUBMIT,
    "resubmit": Action.RESUBMIT,
    "return": Action.RETURN,
    "accept": Action.ACCEPT,
    "suspend": Action.SUSPEND,
    "resume": Action.RESUME,
    "approve": Action.APPROVE,
    "refuse": Action.REFUSE,
    "withdraw": Action.WITHDRAW,
}


def _commitment(application: Application) -> Commitment | None:
    try:
        return application.commitment
    except Commitment.DoesNotExist:
        return None


def state_allows(application: Application, action: str, *, extended: bool | None = None) -> bool:
    """Whether the application's state (and its commitment) allow `action`."""
    if action in TRANSITION_OF:
        return allowed(TRANSITION_OF[action], application.state)
    if action in ("edit", "upload"):
        return application.state in EDITABLE
    if action == "review":
        return application.state == State.SUBMITTED
    if action == "extend":
        if extended is None:
            extended = application.clock_stops.filter(extension_days__gt=0).exists()
        return application.state in (State.ACCEPTED, State.SUSPENDED) and not extended
    commitment = _commitment(application)
    if action == "commitment-create":
        return application.state in EDITABLE and (
            commitment is None or commitment.status == Commitment.Status.PENDING_SIGNATURE
        )
    if action == "commitment-sign":
        return (
            application.state in EDITABLE
            and commitment is not None
            and commitment.status == Commitment.Status.PENDING_SIGNATURE
        )
    if action == "commitment-verify":
        return (
            application.state in (State.APPROVED, State.ISSUED)
            and commitment is not None
            and commitment.status == Commitment.Status.SIGNED
        )
    return False


def staff_can(user: Any, application: Application, action: str) -> bool:
    capability = STAFF_ACTIONS.get(action)
    return capability is not None and user_can(user, capability) and state_allows(application, action)


def staff_actions(user: Any, application: Application) -> list[str]:
    """The actions this user may take now, in display order."""
    if not user_can(user, Capability.WINDOW_WORK):
        return []
    extended = any(stop.extension_days for stop in application.clock_stops.all())
    return [
        action
        for action, capability in STAFF_ACTIONS.items()
        if user_can(user, capability)
        and (
            state_allows(application, action, extended=extended)
            if action == "extend"
            else state_allows(application, action)
        )
    ]


def public_actions(application: Application) -> list[str]:
    """What the applicant may do through the tracking page now."""
    return [action for action in PUBLIC_ACTIONS if state_allows(application, action)]
