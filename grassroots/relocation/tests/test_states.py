"""The unit's stage table (states.py), every pair through the services."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.core.models import AuditEntry
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from ..models import Unit, UnitEvent
from ..services.units import unit_advance
from ..states import TABLE, Action, State
from .support import advance_to, stage_input, unit_at

pytestmark = pytest.mark.django_db
EXPECTED = {
    (Action.CONFIRM, State.PENDING),
    (Action.ASSESS, State.CONFIRMED),
    (Action.SIGN, State.ASSESSED),
    (Action.VACATE, State.SIGNED),
    (Action.DEMOLISH, State.VACATED),
    (Action.COMPENSATE, State.DEMOLISHED),
}
PAIRS = all_pairs(Action, State)


def _snapshot(unit: Unit) -> tuple[Any, ...]:
    row = Unit.objects.values_list("state", "signed_on", "agreed_amount", "updated_at").get(pk=unit.pk)
    return row, UnitEvent.objects.count(), AuditEntry.objects.count()


def test_table():
    assert_table(TABLE, actions=Action, states=State, expected=EXPECTED)


@pytest.mark.parametrize(("action", "state"), PAIRS, ids=pair_ids(PAIRS))
def test_every_pair(tree, project, people, action, state):
    unit = advance_to(unit_at(project, tree.village_a), state)

    def perform() -> Unit:
        return unit_advance(actor=people.worker_a, unit=unit, action=action, data=stage_input(action))

    check_pair(TABLE, action=action, state=state, obj=unit, perform=perform, snapshot=lambda: _snapshot(unit))
