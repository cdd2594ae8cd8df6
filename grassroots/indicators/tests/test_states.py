"""The month's ledger table (states.py), every pair through the services;
and the activities: entering only while 填报中, correcting only when 已锁定."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from grassroots.core.models import AuditEntry
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from ..errors import IndicatorConflict
from ..models import Ledger, LedgerEvent, ValueEvent
from ..services.values import values_set
from ..services.workflow import ledger_transition
from ..states import TABLE, Action, Activity, State
from .support import MONTH, indicator, ledger_at

pytestmark = pytest.mark.django_db
EXPECTED = {(Action.REVIEW, State.DRAFT), (Action.RETURN, State.REVIEWED), (Action.LOCK, State.REVIEWED)}
PAIRS = all_pairs(Action, State)


def _in_state(tree: Any, people: Any, state: str) -> Ledger:
    ledger = ledger_at(tree.subdistrict)
    if state in (State.REVIEWED, State.LOCKED):
        ledger = ledger_transition(actor=people.reviewer, ledger=ledger, action=Action.REVIEW)
    if state == State.LOCKED:
        ledger = ledger_transition(actor=people.reviewer, ledger=ledger, action=Action.LOCK)
    ledger.refresh_from_db()
    assert ledger.state == state
    return ledger


def _snapshot(ledger: Ledger) -> tuple[Any, ...]:
    row = Ledger.objects.values_list("state", "reviewed_by", "locked_at", "updated_at").get(pk=ledger.pk)
    return row, LedgerEvent.objects.count(), AuditEntry.objects.count()


def test_table():
    assert_table(TABLE, actions=Action, states=State, expected=EXPECTED)
    assert TABLE.activities[Activity.ENTER] == {State.DRAFT}
    assert TABLE.activities[Activity.CORRECT] == {State.LOCKED}


@pytest.mark.parametrize(("action", "state"), PAIRS, ids=pair_ids(PAIRS))
def test_every_pair(tree, people, action, state):
    ledger = _in_state(tree, people, state)
    check_pair(
        TABLE,
        action=action,
        state=state,
        obj=ledger,
        perform=lambda: ledger_transition(actor=people.reviewer, ledger=ledger, action=action),
        snapshot=lambda: _snapshot(ledger),
    )


@pytest.mark.parametrize("state", list(State))
def test_figures_change_only_while_entered_or_as_a_correction(tree, people, state):
    ledger = _in_state(tree, people, state)
    before = ValueEvent.objects.count()

    def enter() -> Ledger:
        return values_set(
            actor=people.station,
            node=tree.subdistrict,
            month=MONTH,
            values={indicator(): Decimal(60)},
            reason="更正" if state == State.LOCKED else "",
        )

    if state == State.REVIEWED:
        with pytest.raises(IndicatorConflict):
            enter()
        assert ValueEvent.objects.count() == before
    else:
        enter()
        assert ValueEvent.objects.count() == before + 1
    assert Ledger.objects.get(pk=ledger.pk).state == state
