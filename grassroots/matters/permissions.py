"""Who may do what to a matter: capabilities (accounts/roles.py) combined with
the matter's state and the user's jurisdiction. Services enforce these rules;
pages and the API use `matter_can` to show only the actions that would work."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from grassroots.accounts.permissions import user_can
from grassroots.accounts.roles import Capability
from grassroots.core.actors import SystemActor
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.scoping import path_in_scope
from grassroots.regions.models import Level, Node

from . import states
from .models import Matter
from .states import Action, State

# Actions of the staff detail page and the API, mapped to the state-table
# action they perform (None: not a state transition).
TRANSITION_ACTIONS: dict[str, str] = {
    "accept": Action.ACCEPT,
    "reject": Action.REJECT,
    "merge": Action.MERGE,
    "assign": Action.ASSIGN,
    "deliberate": Action.DELIBERATE,
    "decide": Action.DECIDE,
    "resolve": Action.RESOLVE,
    "close": Action.CLOSE,
    "reopen": Action.REOPEN,
}
JOINT_MEETING_STATES = frozenset({State.ACCEPTED, State.HANDLING, State.DELIBERATING})
PUBLISHABLE_STATES = frozenset({State.HANDLING, State.DELIBERATING, State.RESOLVED, State.CLOSED})


def can_view(user: Any) -> bool:
    return user_can(user, Capability.VIEW_MATTERS)


def can_record(user: Any) -> bool:
    return user_can(user, Capability.RECORD_MATTERS)


def can_handle(user: Any) -> bool:
    """Accept, reject, merge, assign, close, reopen, escalate, answer reopen requests."""
    return user_can(user, Capability.HANDLE_MATTERS)


def can_publish(user: Any) -> bool:
    return user_can(user, Capability.PUBLISH)


def can_joint_meeting(user: Any) -> bool:
    return user_can(user, Capability.JOINT_MEETING)


def can_resolve(user: Any, matter: Matter) -> bool:
    """The assignee (any role that sees matters) or a handler may resolve."""
    if can_handle(user):
        return True
    return can_view(user) and matter.assignee_id is not None and matter.assignee_id == getattr(user, "pk", None)


def in_scope(user: Any, matter: Matter) -> bool:
    return path_in_scope(matter.path, user)


def can_be_assigned(user: Any, matter: Matter) -> bool:
    """An assignee is an active staff member who sees matters and whose
    jurisdiction contains the matter's node."""
    node = getattr(user, "jurisdiction", None)
    return bool(
        user is not None
        and user.is_active
        and node is not None
        and user_can(user, Capability.VIEW_MATTERS)
        and matter.path.startswith(node.path)
    )


def reopen_window_open(matter: Matter, *, today: datetime.date | None = None) -> bool:
    """A closed matter may be reopened within REOPEN_DAYS calendar days of the
    day it was closed (that day not counted); a resolved one always."""
    if matter.state == State.RESOLVED:
        return True
    if matter.state != State.CLOSED or matter.closed_at is None:
        return False
    today = today or timezone.localdate()
    return today <= timezone.localdate(matter.closed_at) + datetime.timedelta(days=states.REOPEN_DAYS)


def require_scope(user: Any, matter: Matter) -> None:
    """Outside the user's subtree a matter does not exist for them (404). The
    system (a job, or another app acting on its own rule) sees every matter."""
    if user is not None and not isinstance(user, SystemActor) and not in_scope(user, matter):
        raise NotFound("未找到该事项,或您无权查看。")


def require(allowed: bool, message: str = "您的角色没有此项权限。") -> None:
    if not allowed:
        raise PermissionDenied(message)


def may_transition(user: Any, matter: Matter, action: str) -> bool:
    """The capability a state-table action needs: resolving is the assignee's
    or a handler's; every other transition is a handler's. The state itself is
    the table's business (states.TABLE). The system may take any of them: it
    acts only where an app's own rule says so (ADR 0045: economy accepts the
    matter of a distribution plan it submits and resolves it when distributed)."""
    if isinstance(user, SystemActor):
        return True
    if action == Action.RESOLVE:
        return can_resolve(user, matter)
    return can_handle(user)


def require_transition(user: Any, matter: Matter, action: str) -> None:
    """Scope (404), then the capability of `action` (403)."""
    require_scope(user, matter)
    require(may_transition(user, matter, action))


def matter_can(*, user: Any, matter: Matter, action: str) -> bool:
    """Whether `user` may take `action` on `matter` now: scope, capability
    and the state table. Names are those of the detail page and the API:
    accept, reject, merge, assign, deliberate, decide, resolve, close, reopen,
    note, escalate, joint-meeting, publish, reopen-answer."""
    if not in_scope(user, matter):
        return False
    state = matter.state
    if action in TRANSITION_ACTIONS:
        table_action = TRANSITION_ACTIONS[action]
        if action == "assign":
            # From handling, assigning again is a reassignment.
            state_ok = state in (State.ACCEPTED, State.HANDLING)
        else:
            state_ok = states.allowed(table_action, state)
        if not state_ok:
            return False
        if action == "resolve":
            return can_resolve(user, matter)
        if action == "reopen":
            return can_handle(user) and reopen_window_open(matter)
        return can_handle(user)
    if action == "note":
        return can_view(user)
    if action == "escalate":
        return can_handle(user) and state in states.OPEN_STATES and escalation_source(matter) is not None
    if action == "joint-meeting":
        return can_joint_meeting(user) and state in JOINT_MEETING_STATES and matter.joint_meeting_requested_at is None
    if action == "publish":
        return can_publish(user) and state in PUBLISHABLE_STATES
    if action == "reopen-answer":
        return can_handle(user)
    return False


def escalation_source(matter: Matter) -> Any:
    """The node a matter escalates from, when there is a level above it:
    its current escalation target, else its responsible unit's node, else its
    village. None when it is already at the subdistrict (the top)."""
    node = matter.escalated_to
    if node is None and matter.responsible_unit_id is not None and matter.responsible_unit is not None:
        node = matter.responsible_unit.node
    if node is None:
        node = ancestor_at_level(matter.node, Level.VILLAGE)
    if node.level <= Level.SUBDISTRICT:
        return None
    return node


def ancestor_at_level(node: Node, level: int) -> Node:
    """`node` itself or its ancestor at `level` (one query, none if it is `node`)."""
    if node.level <= level:
        return node
    depth = node.depth - (node.level - level)
    return Node.objects.get(path=node.path[: Node.steplen * depth])
