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
from grassroots.mediation.models import (
    CaseEvent,
    DisputeCase,
    DisputeReferral,
    FollowUpMethod,
    Outcome,
    Performance,
    Referral,
)
from grassroots.mediation.services import referrals, sessions, teams, workflow
from grassroots.mediation.states import Action, Activity, State
from grassroots.testing.workflow import check_pair

from .test_referrals import refer
from .test_transfer import make_matter

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
    check_pair(
        states.TABLE,
        action=action,
        state=state,
        obj=case,
        perform=lambda: CALLS[action](centre, case),
        snapshot=lambda: (
            DisputeCase.objects.values_list("state", "updated_at").get(pk=case.pk),
            CaseEvent.objects.filter(case=case).count(),
            AuditEntry.objects.count(),
        ),
    )
    if states.allowed(action, state):
        last = CaseEvent.objects.filter(case=case, kind="transition").last()
        assert last is not None and last.action == action and last.from_state == state


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


# --- Referrals (转介) ---------------------------------------------------------------


def _referral_in(centre: Any, state: str) -> Any:
    referral = refer(centre.grid_worker, make_matter(centre))
    if state == states.ReferralState.ACCEPTED:
        referrals.referral_accept(actor=centre.manager, referral=referral)
    elif state == states.ReferralState.RETURNED:
        referrals.referral_return(actor=centre.manager, referral=referral, reason="请补充对方当事人信息。")
    referral.refresh_from_db()
    return referral


REFERRAL_CALLS: dict[str, Callable[[Any, Any], Any]] = {
    states.ReferralAction.ACCEPT: lambda c, r: referrals.referral_accept(actor=c.mediator, referral=r),
    states.ReferralAction.RETURN: lambda c, r: referrals.referral_return(
        actor=c.mediator, referral=r, reason="不属于民间纠纷。"
    ),
}


def test_referral_table_covers_every_action():
    assert set(REFERRAL_CALLS) == set(states.ReferralAction.values) == set(states.REFERRAL_TRANSITIONS)


@pytest.mark.parametrize("state", states.ReferralState.values)
@pytest.mark.parametrize("action", states.ReferralAction.values)
def test_referral_transition_pair(centre, state, action):
    referral = _referral_in(centre, state)
    assert referral.state == state
    check_pair(
        states.REFERRAL_TABLE,
        action=action,
        state=state,
        obj=referral,
        perform=lambda: REFERRAL_CALLS[action](centre, referral),
        snapshot=lambda: (
            DisputeReferral.objects.values_list("state", flat=True).get(pk=referral.pk),
            DisputeCase.objects.count(),
            AuditEntry.objects.count(),
        ),
    )


def test_stale_referral_is_refused_and_changes_nothing(centre):
    referral = _referral_in(centre, states.ReferralState.PENDING)
    stale = DisputeReferral.objects.get(pk=referral.pk)
    referrals.referral_return(actor=centre.manager, referral=referral, reason="请补充对方当事人信息。")
    with pytest.raises(StaleState):  # the page was loaded before someone else returned it
        referrals.referral_accept(actor=centre.mediator, referral=stale)
    assert not DisputeCase.objects.exists()
    assert DisputeReferral.objects.get(pk=referral.pk).state == states.ReferralState.RETURNED
