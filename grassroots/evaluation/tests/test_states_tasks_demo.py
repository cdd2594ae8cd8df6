"""The state table, the monthly beat job and the demo command."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

from grassroots.accounts.roles import Role
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.models import AuditEntry
from grassroots.evaluation.models import AppraisalSession, Ballot, SessionEvent
from grassroots.evaluation.services import ballots, sessions
from grassroots.evaluation.states import TABLE, Action, State
from grassroots.evaluation.tasks import create_monthly_sessions
from grassroots.testing.factories import UserFactory
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from .conftest import issue, make_matter, make_session

PAIRS = all_pairs(Action, State)


def test_state_table():
    expected = {(Action.FREEZE, State.DRAFT), (Action.CLOSE, State.FROZEN)}
    assert_table(TABLE, actions=Action, states=State, expected=expected)


def _in_state(world: Any, state: str) -> AppraisalSession:
    if state == State.DRAFT:
        return make_session(world)
    session = issue(world).session
    if state == State.CLOSED:
        session = ballots.session_close(session=session, attendance=6, void_codes=None, actor=world.staff)
    return session


def _perform(world: Any, action: str, session: AppraisalSession, actor: Any = None) -> Callable[[], Any]:
    actor = actor or world.staff
    if action == Action.FREEZE:
        return lambda: sessions.session_freeze(session=session, actor=actor)
    return lambda: ballots.session_close(session=session, attendance=6, void_codes=None, actor=actor)


def _snapshot(session: AppraisalSession) -> tuple[Any, ...]:
    row = AppraisalSession.objects.values_list("state", "frozen_at", "closed_at", "head_hash").get(pk=session.pk)
    return row, SessionEvent.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize(("action", "state"), PAIRS, ids=pair_ids(PAIRS))
def test_every_pair(world, action, state):
    session = _in_state(world, state)
    check_pair(
        TABLE,
        action=action,
        state=state,
        obj=session,
        perform=_perform(world, action, session),
        snapshot=lambda: _snapshot(session),
        code="wrong_state",
    )
    if TABLE.allowed(action, state):
        event = SessionEvent.objects.filter(session=session).latest("id")
        assert (event.action, event.from_state, event.to_state, event.actor) == (
            action,
            state,
            TABLE.target(action),
            world.staff,
        )


@pytest.mark.parametrize(("action", "state"), [(Action.FREEZE, State.DRAFT), (Action.CLOSE, State.FROZEN)])
def test_other_subtree_is_not_found_and_wrong_role_denied(world, action, state):
    session = _in_state(world, state)
    before = _snapshot(session)
    with pytest.raises(NotFound):
        _perform(world, action, session, actor=world.other)()
    # In scope, but a role that does not run appraisals.
    mediator = UserFactory(username="mediator", role=Role.MEDIATOR, jurisdiction=world.tree.subdistrict)
    with pytest.raises(PermissionDenied):
        _perform(world, action, session, actor=mediator)()
    assert _snapshot(session) == before


def test_monthly_job_creates_one_session_per_village_idempotently(world):
    assert create_monthly_sessions(today=datetime.date(2026, 6, 1)) == 2
    assert create_monthly_sessions(today=datetime.date(2026, 6, 1)) == 0
    session = AppraisalSession.objects.get(village=world.tree.village_a)
    assert session.month == datetime.date(2026, 5, 1)
    assert session.items.count() == 4 and session.roster.count() == 6


def test_demo_command_is_idempotent(world, settings):
    from django.utils import timezone

    # A collective matter resolved this month and in each of the two months before.
    now = timezone.now()
    month = timezone.localdate().replace(day=1)
    for back in range(3):
        start = datetime.datetime.combine(month, datetime.time(), tzinfo=timezone.get_current_timezone())
        resolved = min(start + datetime.timedelta(days=3, hours=10), now - datetime.timedelta(seconds=1))
        make_matter(world.tree.grid_a1, 100 + back, assignee=world.handler1, resolved=max(resolved, start))
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    call_command("generate_demo_evaluation")
    states = sorted(AppraisalSession.objects.values_list("state", flat=True))
    assert states == ["closed", "closed", "draft"]
    ballots = Ballot.objects.count()
    assert ballots >= 8
    call_command("generate_demo_evaluation")
    assert AppraisalSession.objects.count() == 3 and Ballot.objects.count() == ballots
