"""Every (action, state) pair of the matter lifecycle, allowed and forbidden,
reached through the services; and the two layers of authorisation.

Every state is reachable through the services (reported by matter_create,
the others by the transition services), so no test sets `state` directly."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.http import Http404

from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.models import AuditEntry, Notification
from grassroots.testing.workflow import assert_table, check_pair

from .. import selectors, states
from ..errors import MatterError, TransitionNotAllowed
from ..models import EventKind, Matter, MatterEvent, ReopenRequest
from ..services import feedback, lifecycle
from ..states import Action, ReopenAction, State
from . import factories as f

pytestmark = pytest.mark.django_db

# The table as the issue describes it; a change to states.py must change this too.
EXPECTED_ALLOWED = {
    (Action.ACCEPT, State.REPORTED),
    (Action.REJECT, State.REPORTED),
    (Action.MERGE, State.REPORTED),
    (Action.MERGE, State.ACCEPTED),
    (Action.ASSIGN, State.ACCEPTED),
    (Action.DELIBERATE, State.ACCEPTED),
    (Action.DELIBERATE, State.HANDLING),
    (Action.DECIDE, State.DELIBERATING),
    (Action.RETURN_ACCEPTED, State.DELIBERATING),
    (Action.RETURN_HANDLING, State.DELIBERATING),
    (Action.RESOLVE, State.HANDLING),
    (Action.CLOSE, State.RESOLVED),
    (Action.REOPEN, State.RESOLVED),
    (Action.REOPEN, State.CLOSED),
}
ALL_PAIRS = list(itertools.product(list(Action), list(State)))


@pytest.fixture
def clock(monkeypatch):
    return f.freeze(monkeypatch)


@pytest.fixture
def world(tree, clock):
    staff = f.make_staff(tree)
    return tree, staff


def _perform(action: str, matter: Matter, *, actor: Any, tree: Any, staff: f.Staff) -> Callable[[], Matter]:
    """A call of the service for `action` with valid input; `merge` gets a
    fresh open survivor, `assign` on a matter in handling reassigns."""
    if action == Action.ACCEPT:
        return lambda: lifecycle.matter_accept(actor=actor, matter=matter, category=f.category())
    if action == Action.REJECT:
        return lambda: lifecycle.matter_reject(actor=actor, matter=matter, reason="重复反映。")
    if action == Action.MERGE:
        survivor = f.report(node=tree.unit_a1, title="楼道灯不亮", phone=f.OTHER_PHONE)
        return lambda: lifecycle.matter_merge(actor=actor, matter=matter, into=survivor)
    if action == Action.ASSIGN:
        assignee = staff.grid_a1 if matter.assignee_id != staff.grid_a1.pk else staff.village_a
        return lambda: lifecycle.matter_assign(actor=actor, matter=matter, assignee=assignee, plan="先查看现场。")
    if action == Action.DELIBERATE:
        return lambda: lifecycle.matter_deliberation_start(actor=actor, matter=matter)
    if action == Action.DECIDE:
        unit = lifecycle.responsible_unit_default(matter=matter, category=f.category())
        due = f.FROZEN.date() + datetime.timedelta(days=10)
        return lambda: lifecycle.matter_deliberation_decide(
            actor=actor,
            matter=matter,
            plan="议定:由村委会出资维修。",
            responsible_unit=unit,
            assignee=staff.grid_a1,
            due_date=due,
        )
    if action in (Action.RETURN_ACCEPTED, Action.RETURN_HANDLING):
        # One service: back to handling when someone handles the matter, else to accepted.
        return lambda: lifecycle.matter_deliberation_withdraw(actor=actor, matter=matter, reason="会议取消。")
    if action == Action.RESOLVE:
        return lambda: lifecycle.matter_resolve(actor=actor, matter=matter, result="已修好。")
    if action == Action.CLOSE:
        return lambda: lifecycle.matter_close(actor=actor, matter=matter)
    if action == Action.REOPEN:
        return lambda: lifecycle.matter_reopen(actor=actor, matter=matter, reason="群众反映灯又坏了。")
    raise AssertionError(action)


def _snapshot(matter: Matter) -> tuple[Any, ...]:
    row = Matter.objects.get(pk=matter.pk)
    return (
        row.state,
        row.updated_at,
        row.assignee_id,
        row.due_date,
        MatterEvent.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
    )


def test_table_matches_the_issue():
    assert_table(states.TABLE, actions=Action, states=State, expected=EXPECTED_ALLOWED)
    assert len(ALL_PAIRS) == 11 * 8


@pytest.mark.parametrize(("action", "state"), ALL_PAIRS, ids=[f"{a.value}-{s.value}" for a, s in ALL_PAIRS])
def test_every_pair(world, action, state):
    tree, staff = world
    # A matter deliberated while in handling (it has an assignee) returns to handling.
    via_handling = action == Action.RETURN_HANDLING
    matter = f.matter_in_state(
        state, node=tree.unit_a1, handler=staff.village_a, assignee=staff.grid_a1, via_handling=via_handling
    )
    call = _perform(action, matter, actor=staff.village_a, tree=tree, staff=staff)
    if action == Action.ASSIGN and state == State.HANDLING:
        # Not a transition: assigning again from handling is a reassignment.
        events_before = MatterEvent.objects.filter(matter=matter).count()
        call()
        matter.refresh_from_db()
        assert matter.state == State.HANDLING
        assert MatterEvent.objects.filter(matter=matter).count() > events_before
        assert MatterEvent.objects.filter(matter=matter).latest("id").kind == EventKind.REASSIGNED
        return
    check_pair(states.TABLE, action=action, state=state, obj=matter, perform=call, snapshot=lambda: _snapshot(matter))
    if (action, state) in EXPECTED_ALLOWED:
        expected = states.target(action)
        transition = MatterEvent.objects.filter(matter=matter, kind=EventKind.TRANSITION).latest("id")
        assert (transition.action, transition.from_state, transition.to_state) == (action, state, expected)
    else:
        with pytest.raises(TransitionNotAllowed) as excinfo:
            call()
        assert str(State(state).label) in excinfo.value.message


# --- Authorisation: wrong role → PermissionDenied; other subtree → 404 --------

HANDLER_ONLY = [
    (Action.ACCEPT, State.REPORTED),
    (Action.REJECT, State.REPORTED),
    (Action.MERGE, State.REPORTED),
    (Action.ASSIGN, State.ACCEPTED),
    (Action.DELIBERATE, State.ACCEPTED),
    (Action.DECIDE, State.DELIBERATING),
    (Action.RETURN_ACCEPTED, State.DELIBERATING),
    (Action.RESOLVE, State.HANDLING),  # the grid worker here is not the assignee
    (Action.CLOSE, State.RESOLVED),
    (Action.REOPEN, State.CLOSED),
]


@pytest.mark.parametrize(("action", "state"), HANDLER_ONLY, ids=[a.value for a, _ in HANDLER_ONLY])
def test_wrong_role_is_denied_and_nothing_changes(world, action, state):
    tree, staff = world
    matter = f.matter_in_state(state, node=tree.unit_a1, handler=staff.village_a, assignee=staff.village_a)
    # A grid worker of the same grid sees the matter but may not handle it.
    call = _perform(action, matter, actor=staff.grid_a1, tree=tree, staff=staff)
    before = _snapshot(matter)
    with pytest.raises(PermissionDenied):
        call()
    assert _snapshot(matter) == before


@pytest.mark.parametrize(("action", "state"), HANDLER_ONLY, ids=[a.value for a, _ in HANDLER_ONLY])
def test_other_subtree_is_not_found_and_nothing_changes(world, action, state):
    tree, staff = world
    matter = f.matter_in_state(state, node=tree.unit_a1, handler=staff.village_a, assignee=staff.village_a)
    with pytest.raises(Http404):
        selectors.matter_get_visible(user=staff.village_b, pk=matter.pk)
    call = _perform(action, matter, actor=staff.village_b, tree=tree, staff=staff)
    before = _snapshot(matter)
    with pytest.raises(NotFound):
        call()
    assert _snapshot(matter) == before


def test_a_role_without_matters_sees_nothing(world):
    tree, staff = world
    matter = f.report(node=tree.unit_a1)
    with pytest.raises(Http404):
        selectors.matter_get_visible(user=staff.mediator, pk=matter.pk)
    with pytest.raises(PermissionDenied):
        lifecycle.matter_add_note(actor=staff.mediator, matter=matter, text="看一下", public=False)


def test_the_assignee_may_resolve_without_the_handle_capability(world):
    tree, staff = world
    matter = f.matter_in_state(State.HANDLING, node=tree.unit_a1, handler=staff.village_a, assignee=staff.grid_a1)
    lifecycle.matter_resolve(actor=staff.grid_a1, matter=matter, result="已更换灯泡。")
    assert matter.state == State.RESOLVED


def test_a_grid_worker_of_another_grid_gets_404(world):
    tree, staff = world
    matter = f.report(node=tree.unit_a1)
    other = f.UserFactory(username="grid_a2", role="grid_worker", jurisdiction=tree.grid_a2)
    with pytest.raises(Http404):
        selectors.matter_get_visible(user=other, pk=matter.pk)
    assert selectors.matter_get_visible(user=staff.grid_a1, pk=matter.pk) == matter


# --- Reopen requests (REOPEN_REQUEST_TABLE), run by the same engine ------------------------

REOPEN_EXPECTED = {
    (ReopenAction.GRANT, ReopenRequest.Status.OPEN),
    (ReopenAction.DECLINE, ReopenRequest.Status.OPEN),
}
REOPEN_PAIRS = list(itertools.product(list(ReopenAction), list(ReopenRequest.Status)))


def _reopen_request_in(status: str, *, tree: Any, staff: f.Staff) -> ReopenRequest:
    """A reopen request in `status`, reached through the services."""
    matter = f.matter_in_state(State.RESOLVED, node=tree.unit_a1, handler=staff.village_a, assignee=staff.grid_a1)
    request = feedback.matter_reopen_request(matter=matter, reason="楼道又堆满了。")
    if status != ReopenRequest.Status.OPEN:
        grant = status == ReopenRequest.Status.GRANTED
        feedback.reopen_request_answer(actor=staff.village_a, reopen_request=request, grant=grant, answer="已答复。")
        request.refresh_from_db()
    assert request.status == status
    return request


def _reopen_snapshot(request: ReopenRequest) -> tuple[Any, ...]:
    row = ReopenRequest.objects.get(pk=request.pk)
    return (
        row.status,
        row.answer,
        row.answered_at,
        Matter.objects.get(pk=request.matter_id).state,
        MatterEvent.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
    )


def test_reopen_request_table():
    assert_table(
        states.REOPEN_REQUEST_TABLE, actions=ReopenAction, states=ReopenRequest.Status, expected=REOPEN_EXPECTED
    )


@pytest.mark.parametrize(("action", "status"), REOPEN_PAIRS, ids=[f"{a.value}-{s.value}" for a, s in REOPEN_PAIRS])
def test_every_reopen_request_pair(world, action, status):
    tree, staff = world
    request = _reopen_request_in(status, tree=tree, staff=staff)
    grant = action == ReopenAction.GRANT
    if (action, status) in REOPEN_EXPECTED:
        check_pair(
            states.REOPEN_REQUEST_TABLE,
            action=action,
            state=status,
            obj=request,
            perform=lambda: feedback.reopen_request_answer(
                actor=staff.village_a, reopen_request=request, grant=grant, answer="已安排重新清理。"
            ),
            snapshot=lambda: _reopen_snapshot(request),
            state_field="status",
        )
        assert Matter.objects.get(pk=request.matter_id).state == (State.HANDLING if grant else State.RESOLVED)
        return
    # The service refuses an answered request with its own rule (400, as the API always did) …
    before = _reopen_snapshot(request)
    with pytest.raises(MatterError) as excinfo:
        feedback.reopen_request_answer(actor=staff.village_a, reopen_request=request, grant=grant, answer="再答。")
    assert excinfo.value.code == "reopen_request_answered"
    assert _reopen_snapshot(request) == before
    # … and the workflow itself refuses the pair (409) and writes nothing.
    check_pair(
        states.REOPEN_REQUEST_TABLE,
        action=action,
        state=status,
        obj=request,
        perform=lambda: feedback.REOPEN_REQUEST_WORKFLOW.transition(
            request, action=action, actor=staff.village_a, updates={"answer": "再答。"}
        ),
        snapshot=lambda: _reopen_snapshot(request),
        state_field="status",
    )
