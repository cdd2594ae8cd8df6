"""The premises' status table (states.py), every pair through the services."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.core.models import AuditEntry
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from ..models import Premises, PremisesEvent
from ..services import premises as services
from ..states import TABLE, Action, State
from .support import premises_at

pytestmark = pytest.mark.django_db
EXPECTED = {(Action.CLOSE, State.OPERATING), (Action.REOPEN, State.CLOSED)}
PAIRS = all_pairs(Action, State)


def _in_state(tree: Any, people: Any, state: str) -> Premises:
    premises = premises_at(tree.grid_a1)
    if state == State.CLOSED:
        services.premises_close(actor=people.village_a, premises=premises, reason="已停用")
    premises.refresh_from_db()
    assert premises.state == state
    return premises


def _snapshot(premises: Premises) -> tuple[Any, ...]:
    row = Premises.objects.values_list("state", "closed_reason", "updated_at").get(pk=premises.pk)
    return row, PremisesEvent.objects.count(), AuditEntry.objects.count()


def test_table():
    assert_table(TABLE, actions=Action, states=State, expected=EXPECTED)


@pytest.mark.parametrize(("action", "state"), PAIRS, ids=pair_ids(PAIRS))
def test_every_pair(tree, people, action, state):
    premises = _in_state(tree, people, state)
    perform = {
        Action.CLOSE: lambda: services.premises_close(actor=people.village_a, premises=premises, reason="已拆除"),
        Action.REOPEN: lambda: services.premises_reopen(actor=people.village_a, premises=premises),
    }[action]
    check_pair(TABLE, action=action, state=state, obj=premises, perform=perform, snapshot=lambda: _snapshot(premises))
