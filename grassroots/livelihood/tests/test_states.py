"""The care flag's status table (states.py), every pair through the services."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.core.models import AuditEntry
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from ..models import CareFlag, CareFlagEvent
from ..services import flags as services
from ..states import FLAG_TABLE, FlagAction, FlagState
from .support import elder, flagged

pytestmark = pytest.mark.django_db
EXPECTED = {(FlagAction.END, FlagState.ACTIVE), (FlagAction.RESTORE, FlagState.ENDED)}
PAIRS = all_pairs(FlagAction, FlagState)


def _in_state(tree: Any, people: Any, state: str) -> CareFlag:
    flag = flagged(elder(tree.unit_a1, age=80), actor=people.village_a)
    if state == FlagState.ENDED:
        services.flag_end(actor=people.village_a, flag=flag, reason="已搬离")
    flag.refresh_from_db()
    assert flag.state == state
    return flag


def _snapshot(flag: CareFlag) -> tuple[Any, ...]:
    row = CareFlag.objects.values_list("state", "ended_reason", "updated_at").get(pk=flag.pk)
    return row, CareFlagEvent.objects.count(), AuditEntry.objects.count()


def test_table():
    assert_table(FLAG_TABLE, actions=FlagAction, states=FlagState, expected=EXPECTED)


@pytest.mark.parametrize(("action", "state"), PAIRS, ids=pair_ids(PAIRS))
def test_every_pair(tree, people, action, state):
    flag = _in_state(tree, people, state)
    perform = {
        FlagAction.END: lambda: services.flag_end(actor=people.village_a, flag=flag, reason="不再符合条件"),
        FlagAction.RESTORE: lambda: services.flag_restore(actor=people.village_a, flag=flag),
    }[action]
    check_pair(FLAG_TABLE, action=action, state=state, obj=flag, perform=perform, snapshot=lambda: _snapshot(flag))
