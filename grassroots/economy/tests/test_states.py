"""The distribution plan's table (states.py), every pair through the services."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.core.actors import SYSTEM
from grassroots.core.models import AuditEntry
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from ..models import DistributionEvent, DistributionPlan
from ..services import distribution as services
from ..services import meeting
from ..states import TABLE, Action, State
from .support import company_at, plan_in_state

pytestmark = pytest.mark.django_db
EXPECTED = {
    (Action.SUBMIT, State.DRAFT),
    (Action.SUBMIT, State.RETURNED),
    (Action.APPROVE, State.SUBMITTED),
    (Action.RETURN, State.SUBMITTED),
    (Action.PUBLISH, State.APPROVED),
    (Action.DISTRIBUTE, State.PUBLISHED),
}
PAIRS = all_pairs(Action, State)


def _snapshot(plan: DistributionPlan) -> tuple[Any, ...]:
    row = DistributionPlan.objects.values_list("state", "resolution", "updated_at").get(pk=plan.pk)
    return row, DistributionEvent.objects.count(), AuditEntry.objects.count()


def test_table():
    assert_table(TABLE, actions=Action, states=State, expected=EXPECTED)


@pytest.mark.parametrize(("action", "state"), PAIRS, ids=pair_ids(PAIRS))
def test_every_pair(tree, people, action, state):
    plan = plan_in_state(company_at(tree.village_a), state)
    actor = people.street
    perform = {
        Action.SUBMIT: lambda: meeting.plan_submit(actor=actor, plan=plan),
        Action.APPROVE: lambda: services.plan_approve(actor=actor, plan=plan, resolution="表决通过"),
        Action.RETURN: lambda: services.plan_return(actor=actor, plan=plan, reason="需调整"),
        # The system: a staff member's 公示 also publishes through 晒事, which needs
        # a meeting's plan on the matter (test_meeting.py covers that).
        Action.PUBLISH: lambda: meeting.plan_publish(actor=SYSTEM, plan=plan),
        Action.DISTRIBUTE: lambda: meeting.plan_distribute(actor=actor, plan=plan),
    }[action]
    check_pair(TABLE, action=action, state=state, obj=plan, perform=perform, snapshot=lambda: _snapshot(plan))


def test_system_moves_a_plan_all_the_way(tree, people):
    plan = plan_in_state(company_at(tree.village_a), State.DISTRIBUTED)
    actions = list(plan.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "approve", "publish", "distribute"]
    assert plan.resolution and plan.matter is not None and plan.matter.state == "accepted"
