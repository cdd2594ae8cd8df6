"""Every allowed and every forbidden (state, transition) pair, through the
services: allowed pairs reach the table's target state; forbidden ones raise
409 and change nothing (state, events, audit)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from grassroots.core.models import AuditEntry
from grassroots.mediation import states
from grassroots.mediation.errors import StaleState, TransitionNotAllowed
from grassroots.mediation.models import CaseEvent, DisputeCase, FollowUpMethod, Outcome, Performance, Referral
from grassroots.mediation.services import sessions, teams, workflow
from grassroots.mediation.states import Action, Activity, State

pytestmark = pytest.mark.django_db


def _follow_up(c: Any, case: DisputeCase) -> Any:
    performance = Performance.PERFORMED if case.outcome == Outcome.AGREED else Performance.NOT_APPLICABLE
    return workflow.dispute_follow_up(
        actor=c.mediator,
        case=case,
        visited_on=timezone.localdate(),
        method=FollowUpMethod.VISIT,
        performance=performance,
        note="回访:已履行。",
    )


CALLS: dict[str, Callable[[Any, DisputeCase], Any]] = {
    Action.ACCEPT: lambda c, case: workflow.dispute_accept(actor=c.manager, case=case),
    Action.DECLINE: lambda c, case: workflow.dispute_decline(
        actor=c.manager, case=case, reason="已进入诉讼程序", referral=Referral.COURT
    ),
    Action.START: lambda c, case: workflow.dispute_start(actor=c.mediator, case=case),
    Action.AGREE: lambda c, case: workflow.dispute_agree(
        actor=c.mediator,
        case=case,
        facts="纠纷事实清楚。",
        terms="一方赔偿另一方 1000 元。",
        performance_method="现金",
        performance_deadline=None,
    ),
    Action.FAIL: lambda c, case: workflow.dispute_fail(
        actor=c.mediator, case=case, reason="一方拒绝继续调解", referral=Referral.ARBITRATION
    ),
    Action.FOLLOW_UP: _follow_up,
    Action.CLOSE: lambda c, case: workflow.dispute_close(actor=c.manager, case=case, summary="结案。"),
}


def test_table_covers_every_action():
    assert set(CALLS) == set(Action.values) == set(states.TRANSITIONS)
    assert set(states.ACTIVITY_STATES) == set(Activity.values)


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("action", Action.values)
def test_transition_pair(centre, state, action):
    case = centre.case(state)
    assert case.state == state
    events = CaseEvent.objects.filter(case=case).count()
    audits = AuditEntry.objects.count()
    if states.allowed(action, state):
        CALLS[action](centre, case)
        case.refresh_from_db()
        assert case.state == states.target(action)
        last = CaseEvent.objects.filter(case=case, kind="transition").last()
        assert last is not None and last.action == action and last.from_state == state
        assert AuditEntry.objects.filter(action="state.change", object_id=str(case.pk)).exists()
    else:
        with pytest.raises(TransitionNotAllowed) as info:
            CALLS[action](centre, case)
        assert info.value.status == 409
        case.refresh_from_db()
        assert case.state == state
        assert CaseEvent.objects.filter(case=case).count() == events
        assert AuditEntry.objects.count() == audits


ACTIVITY_CALLS: dict[str, Callable[[Any, DisputeCase], Any]] = {
    Activity.ASSIGN_TEAM: lambda c, case: teams.dispute_assign_team(
        actor=c.manager, case=case, committee=c.committee, legal_adviser=c.adviser, mediators=[c.mediator]
    ),
    Activity.SCHEDULE_SESSION: lambda c, case: sessions.session_schedule(
        actor=c.mediator, case=case, scheduled_at=timezone.now() + datetime.timedelta(days=1), place="调解室"
    ),
    Activity.EXTEND: lambda c, case: workflow.dispute_extend(actor=c.mediator, case=case, days=10, reason="双方同意"),
    Activity.JC_APPLY: lambda c, case: sessions.judicial_confirmation_apply(
        actor=c.mediator, case=case, applied_on=timezone.localdate(), court="张店区人民法院"
    ),
}


@pytest.mark.parametrize("state", State.values)
@pytest.mark.parametrize("activity", list(ACTIVITY_CALLS))
def test_activity_pair(centre, state, activity):
    case = centre.case(state)
    if states.activity_allowed(activity, state):
        ACTIVITY_CALLS[activity](centre, case)
        case.refresh_from_db()
        assert case.state == state  # activities never move the state
    else:
        events = CaseEvent.objects.filter(case=case).count()
        with pytest.raises(TransitionNotAllowed):
            ACTIVITY_CALLS[activity](centre, case)
        assert CaseEvent.objects.filter(case=case).count() == events


def test_stale_state_is_refused_and_changes_nothing(centre):
    case = centre.case(State.REGISTERED)
    stale = DisputeCase.objects.get(pk=case.pk)
    workflow.dispute_accept(actor=centre.manager, case=case)
    stale.state = State.REGISTERED  # the page was loaded before someone else accepted
    with pytest.raises(StaleState):
        workflow.transition(actor=centre.manager, case=stale, action=Action.DECLINE)
    case.refresh_from_db()
    assert case.state == State.ACCEPTED and case.decline_reason == ""
