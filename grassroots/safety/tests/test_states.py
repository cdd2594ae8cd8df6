"""The premises' status table (states.py), every pair through the services."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.addresses.tests.support import jpeg
from grassroots.core.models import AuditEntry
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from ..models import Hazard, HazardEvent, Premises, PremisesEvent
from ..services import hazards
from ..services import premises as services
from ..states import HAZARD_TABLE, TABLE, Action, HazardAction, HazardState, State
from .support import inspect, premises_at, raised_hazard

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


# --- hazards ------------------------------------------------------------------

HAZARD_EXPECTED = {
    (HazardAction.ISSUE_NOTICE, HazardState.FOUND),
    (HazardAction.RECTIFY, HazardState.NOTICE_ISSUED),
    (HazardAction.CLOSE, HazardState.RECTIFIED),
    (HazardAction.REOPEN, HazardState.RECTIFIED),
    (HazardAction.REFER, HazardState.NOTICE_ISSUED),
    (HazardAction.REFER, HazardState.RECTIFIED),
}
HAZARD_PAIRS = all_pairs(HazardAction, HazardState)


def _hazard_in_state(tree: Any, people: Any, state: str) -> Hazard:
    inspection = inspect(premises_at(tree.grid_a1), actor=people.grid_a, fail=1)
    hazard = raised_hazard(inspection, actor=people.grid_a)
    if state != HazardState.FOUND:
        hazard = hazards.hazard_issue_notice(actor=people.grid_a, hazard=hazard, days=5)
    if state in (HazardState.RECTIFIED, HazardState.CLOSED):
        hazard = hazards.hazard_rectify(actor=people.grid_a, hazard=hazard, evidence=jpeg())
    if state == HazardState.CLOSED:
        hazard = hazards.hazard_reinspect(actor=people.grid_a, hazard=hazard, passed=True)
    if state == HazardState.REFERRED:
        hazard = hazards.hazard_refer(actor=people.village_a, hazard=hazard, record="移交区应急管理局")
    hazard.refresh_from_db()
    assert hazard.state == state
    return hazard


def _hazard_snapshot(hazard: Hazard) -> tuple[Any, ...]:
    row = Hazard.objects.values_list("state", "deadline", "notice_number", "evidence", "referral_record").get(
        pk=hazard.pk
    )
    return row, HazardEvent.objects.count(), AuditEntry.objects.count()


def test_hazard_table():
    assert_table(HAZARD_TABLE, actions=HazardAction, states=HazardState, expected=HAZARD_EXPECTED)


@pytest.mark.parametrize(("action", "state"), HAZARD_PAIRS, ids=pair_ids(HAZARD_PAIRS))
def test_every_hazard_pair(tree, people, action, state):
    hazard = _hazard_in_state(tree, people, state)
    perform = {
        HazardAction.ISSUE_NOTICE: lambda: hazards.hazard_issue_notice(actor=people.grid_a, hazard=hazard, days=5),
        HazardAction.RECTIFY: lambda: hazards.hazard_rectify(actor=people.grid_a, hazard=hazard, evidence=jpeg()),
        HazardAction.CLOSE: lambda: hazards.hazard_reinspect(actor=people.grid_a, hazard=hazard, passed=True),
        HazardAction.REOPEN: lambda: hazards.hazard_reinspect(
            actor=people.grid_a, hazard=hazard, passed=False, note="通道仍被占用"
        ),
        HazardAction.REFER: lambda: hazards.hazard_refer(actor=people.village_a, hazard=hazard, record="移交执法"),
    }[action]
    check_pair(
        HAZARD_TABLE, action=action, state=state, obj=hazard, perform=perform, snapshot=lambda: _hazard_snapshot(hazard)
    )
