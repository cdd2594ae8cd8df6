"""Who may do what to a dispute case: capabilities (accounts/roles.py)
combined with the case's state, its team and the user's jurisdiction.

- Seeing cases: `MEDIATE` or `MANAGE_MEDIATION`, inside the user's subtree.
- Registering, accepting, declining, assigning teams, closing, committees,
  grid advisers and statistics: `MANAGE_MEDIATION` (centre staff, mediators).
- Working on a case (sessions, agreement, failure, follow-up, judicial
  confirmation, extension): a member of the case's team with `MEDIATE`, or
  anyone with `MANAGE_MEDIATION`.
- Logging legal consultations: `LEGAL_CONSULT`, for a grid the adviser serves.
- Referring a matter to the centre (转介): `REFER_DISPUTES` (grid workers,
  village staff), for a matter in the user's subtree; accepting or returning
  a referral: `MANAGE_MEDIATION`, inside the subtree.

Services enforce these rules; pages and the API use `case_can` to show only
the actions that would work."""

from __future__ import annotations

from typing import Any

from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability, Role
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.scoping import path_in_scope

from . import states
from .models import DisputeCase, JudicialStatus
from .states import Action, Activity

# Page/API action names → what they do in the state table.
TRANSITION_ACTIONS: dict[str, str] = {
    "accept": Action.ACCEPT,
    "decline": Action.DECLINE,
    "start": Action.START,
    "agree": Action.AGREE,
    "fail": Action.FAIL,
    "follow-up": Action.FOLLOW_UP,
    "close": Action.CLOSE,
}
ACTIVITY_ACTIONS: dict[str, str] = {
    "team": Activity.ASSIGN_TEAM,
    "party": Activity.ADD_PARTY,
    "session": Activity.SCHEDULE_SESSION,
    "extend": Activity.EXTEND,
    "jc-apply": Activity.JC_APPLY,
    "jc-result": Activity.JC_RESULT,
    "note": Activity.NOTE,
}
# Actions for the centre (MANAGE_MEDIATION); the rest are team work.
MANAGER_ACTIONS = frozenset({"accept", "decline", "close", "team", "party"})

MEDIATOR_ROLES = frozenset({Role.MEDIATOR})
ADVISER_ROLES = frozenset({Role.LEGAL_ADVISER})


def can_view(user: Any) -> bool:
    return user_can(user, Capability.MEDIATE) or user_can(user, Capability.MANAGE_MEDIATION)


def can_manage(user: Any) -> bool:
    return user_can(user, Capability.MANAGE_MEDIATION)


def can_consult(user: Any) -> bool:
    return user_can(user, Capability.LEGAL_CONSULT)


def can_refer(user: Any) -> bool:
    return user_can(user, Capability.REFER_DISPUTES)


def can_hand_over(user: Any) -> bool:
    """A department's dispute handed to the centre (`dispute_hand_over`): those
    who refer disputes, the centre, and the relocation worker with the
    disputes of their own units (the department checks which unit, ADR 0046)."""
    return can_refer(user) or can_manage(user) or user_can(user, Capability.WORK_ASSIGNED_RELOCATION)


def in_scope(user: Any, case: DisputeCase) -> bool:
    return path_in_scope(case.path, user)


def team_ids(case: DisputeCase) -> set[int]:
    """User ids on the case's team (legal adviser and mediators)."""
    ids = {member.user_id for member in case.team_members.all()}
    if case.legal_adviser_id:
        ids.add(case.legal_adviser_id)
    return ids


def is_team_member(user: Any, case: DisputeCase) -> bool:
    return getattr(user, "pk", None) in team_ids(case)


def can_work(user: Any, case: DisputeCase) -> bool:
    if can_manage(user):
        return True
    return user_can(user, Capability.MEDIATE) and is_team_member(user, case)


def can_reveal(user: Any, case: DisputeCase) -> bool:
    """Full ID numbers and phones of the parties: the reveal capability, or
    the case's own team (they need them for the agreement and court)."""
    return user_can(user, Capability.REVEAL_PERSONAL_DATA) or (
        user_can(user, Capability.MEDIATE) and is_team_member(user, case)
    )


def state_allows(name: str, state: str) -> bool:
    if name in TRANSITION_ACTIONS:
        return states.allowed(TRANSITION_ACTIONS[name], state)
    return states.activity_allowed(ACTIVITY_ACTIONS[name], state)


def case_can(*, user: Any, case: DisputeCase, action: str) -> bool:
    """Whether `user` may take page/API action `action` on `case` now."""
    if not in_scope(user, case) or not state_allows(action, case.state):
        return False
    if action in MANAGER_ACTIONS:
        return can_manage(user)
    return can_work(user, case)


# Display order of the actions on the detail page (and in the API's `actions`).
ACTION_ORDER = [
    "accept",
    "team",
    "session",
    "start",
    "agree",
    "fail",
    "jc-apply",
    "jc-result",
    "follow-up",
    "close",
    "decline",
    "extend",
    "party",
    "note",
]


def case_actions(*, user: Any, case: DisputeCase) -> list[str]:
    """Actions `user` may take on `case` now: the state table, capability and
    team rules, and for judicial confirmation the agreement's own status."""
    names = [name for name in ACTION_ORDER if case_can(user=user, case=case, action=name)]
    agreement = getattr(case, "agreement", None) if case.outcome == "agreed" else None
    status = agreement.judicial_status if agreement is not None else None
    if status != JudicialStatus.NOT_APPLIED:
        names = [n for n in names if n != "jc-apply"]
    if status != JudicialStatus.APPLIED:
        names = [n for n in names if n != "jc-result"]
    return names


def require_view(user: Any, case: DisputeCase) -> None:
    """Services call this first: outside the subtree the case does not exist."""
    if not in_scope(user, case):
        raise NotFound()
    if not can_view(user):
        raise PermissionDenied("您的角色不能办理矛盾纠纷案件。")


def require_manage(user: Any, case: DisputeCase | None = None) -> None:
    if case is not None:
        require_view(user, case)
    if not can_manage(user):
        raise PermissionDenied("只有调解中心工作人员可以执行此操作。")


def require_work(user: Any, case: DisputeCase) -> None:
    require_view(user, case)
    if not can_work(user, case):
        raise PermissionDenied("只有本案调解团队成员或调解中心工作人员可以执行此操作。")


# The table actions only the centre may take; the others are the team's work.
MANAGER_TRANSITIONS = frozenset(TRANSITION_ACTIONS[name] for name in MANAGER_ACTIONS if name in TRANSITION_ACTIONS)


def require_transition(user: Any, case: DisputeCase, action: str) -> None:
    """The permission of a state-table action: scope (404), then the centre's
    or the team's capability (403)."""
    if action in MANAGER_TRANSITIONS:
        require_manage(user, case)
    else:
        require_work(user, case)
