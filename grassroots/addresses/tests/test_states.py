"""The address verification table (states.py), every pair through the
services: collected by the grid worker, verified by village staff, signed
off by the subdistrict, sent back by either."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.core.models import AuditEntry
from grassroots.testing.workflow import all_pairs, assert_table, check_pair, pair_ids

from ..models import Address, AddressEvent
from ..services import addresses as services
from ..states import TABLE, Action, State
from .support import data_of, room

pytestmark = pytest.mark.django_db
EXPECTED = {
    (Action.COLLECT, State.PENDING),
    (Action.COLLECT, State.DOUBTFUL),
    (Action.VERIFY, State.COLLECTED),
    (Action.SIGN_OFF, State.VILLAGE_VERIFIED),
    (Action.DOUBT, State.COLLECTED),
    (Action.DOUBT, State.VILLAGE_VERIFIED),
}
PAIRS = all_pairs(Action, State)


def _in_state(tree: Any, people: Any, state: str) -> Address:
    address = room(tree.unit_a1, "101")
    if state == State.PENDING:
        return address
    services.address_collect(actor=people.grid_a, address=address, data=data_of(address))
    if state == State.DOUBTFUL:
        services.address_doubt(actor=people.village_a, address=address, reason="门牌号与现场不符")
    if state in (State.VILLAGE_VERIFIED, State.VERIFIED):
        services.address_verify(actor=people.village_a, address=address)
    if state == State.VERIFIED:
        services.address_sign_off(actor=people.street, address=address)
    address.refresh_from_db()
    assert address.state == state
    return address


def _snapshot(address: Address) -> tuple[Any, ...]:
    row = Address.objects.values_list("state", "doubt_reason", "collected_at", "verified_at").get(pk=address.pk)
    return row, AddressEvent.objects.count(), AuditEntry.objects.count()


def test_table():
    assert_table(TABLE, actions=Action, states=State, expected=EXPECTED)


@pytest.mark.parametrize(("action", "state"), PAIRS, ids=pair_ids(PAIRS))
def test_every_pair(tree, people, action, state):
    address = _in_state(tree, people, state)
    perform = {
        Action.COLLECT: lambda: services.address_collect(actor=people.grid_a, address=address, data=data_of(address)),
        Action.VERIFY: lambda: services.address_verify(actor=people.village_a, address=address),
        Action.SIGN_OFF: lambda: services.address_sign_off(actor=people.street, address=address),
        Action.DOUBT: lambda: services.address_doubt(actor=people.village_a, address=address, reason="楼栋号有误"),
    }[action]
    check_pair(TABLE, action=action, state=state, obj=address, perform=perform, snapshot=lambda: _snapshot(address))
