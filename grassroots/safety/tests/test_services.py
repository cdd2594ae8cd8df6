"""The premises register's services: registering in the actor's subtree, the
operator's phone encrypted and never audited, the standard address inside
the chosen place, corrections recorded, closing with a reason."""

from __future__ import annotations

import pytest
from django.db import connection

from grassroots.addresses.tests.support import room
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.models import AuditEntry

from ..errors import SafetyConflict, SafetyError
from ..models import Premises, PremisesEvent, PremisesKind, RiskLevel
from ..services import premises as services
from ..states import State
from .support import PHONE, input_for, premises_at

pytestmark = pytest.mark.django_db


def test_grid_worker_registers_premises_in_their_grid(tree, people):
    address = room(tree.unit_a1, "101")
    premises = services.premises_create(actor=people.grid_a, data=input_for(tree.grid_a1, address=address))
    assert premises.path == tree.grid_a1.path
    assert premises.state == State.OPERATING
    assert premises.created_by == people.grid_a
    assert premises.operator_phone == PHONE
    assert PremisesEvent.objects.filter(premises=premises, action="create").count() == 1
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None
    assert PHONE not in str(entry.detail)


def test_phone_is_encrypted_at_rest_and_normalised(tree, people):
    premises = premises_at(tree.grid_a1, operator_phone="+86 138-1234-5678")
    assert premises.operator_phone == PHONE
    with connection.cursor() as cursor:
        cursor.execute("SELECT operator_phone FROM safety_premises WHERE id = %s", [premises.pk])
        stored = cursor.fetchone()[0]
    assert PHONE not in stored
    assert Premises.objects.filter(
        operator_phone_index=Premises._meta.get_field("operator_phone_index").index_of(PHONE)
    ).exists()


def test_bad_phone_is_refused_on_its_field(tree, people):
    with pytest.raises(SafetyError) as caught:
        services.premises_create(actor=people.grid_a, data=input_for(tree.grid_a1, operator_phone="12345"))
    assert caught.value.field == "operator_phone"
    assert not Premises.objects.exists()


def test_outside_the_subtree_is_not_found(tree, people):
    with pytest.raises(NotFound):
        services.premises_create(actor=people.grid_a, data=input_for(tree.grid_b1))
    assert not Premises.objects.exists()


def test_window_staff_cannot_register(tree, people):
    with pytest.raises(PermissionDenied):
        services.premises_create(actor=people.window, data=input_for(tree.grid_a1))


def test_place_must_be_a_village_or_grid(tree, people):
    with pytest.raises(SafetyError) as caught:
        services.premises_create(actor=people.street, data=input_for(tree.unit_a1))
    assert caught.value.field == "node"


def test_address_must_lie_in_the_chosen_place(tree, people):
    address = room(tree.unit_b1, "101")
    with pytest.raises(SafetyError) as caught:
        services.premises_create(actor=people.street, data=input_for(tree.grid_a1, address=address))
    assert caught.value.field == "address"
    # The grid worker of another grid does not even see that address.
    with pytest.raises(NotFound):
        services.premises_create(actor=people.grid_a, data=input_for(tree.grid_a1, address=address))
    assert not Premises.objects.exists()


def test_edit_records_what_changed_and_keeps_the_phone(tree, people):
    premises = premises_at(tree.grid_a1)
    services.premises_edit(
        actor=people.village_a,
        premises=premises,
        data=input_for(tree.grid_a1, risk_level=RiskLevel.MAJOR, operator_phone=None),
    )
    premises.refresh_from_db()
    assert premises.risk_level == RiskLevel.MAJOR
    assert premises.operator_phone == PHONE
    event = PremisesEvent.objects.get(premises=premises, action="edit")
    assert set(event.data["corrected"]) == {"risk_level"}


def test_edit_without_change_writes_nothing(tree, people):
    premises = premises_at(tree.grid_a1)
    before = (PremisesEvent.objects.count(), AuditEntry.objects.count())
    services.premises_edit(actor=people.grid_a, premises=premises, data=input_for(tree.grid_a1))
    assert (PremisesEvent.objects.count(), AuditEntry.objects.count()) == before


def test_phone_change_is_recorded_without_the_number(tree, people):
    premises = premises_at(tree.grid_a1)
    services.premises_edit(
        actor=people.grid_a, premises=premises, data=input_for(tree.grid_a1, operator_phone="13900001111")
    )
    event = PremisesEvent.objects.get(premises=premises, action="edit")
    assert event.data["corrected"] == {"operator_phone": ["***", "***"]}
    last = AuditEntry.objects.order_by("-id").first()
    assert last is not None and "13900001111" not in str(last.detail)


def test_close_needs_a_reason_and_blocks_edits(tree, people):
    premises = premises_at(tree.grid_a1, kind=PremisesKind.DISUSED_FACTORY)
    with pytest.raises(SafetyError):
        services.premises_close(actor=people.village_a, premises=premises, reason="  ")
    with pytest.raises(PermissionDenied):
        services.premises_close(actor=people.grid_a, premises=premises, reason="已拆除")
    services.premises_close(actor=people.village_a, premises=premises, reason="厂房已拆除")
    premises.refresh_from_db()
    assert premises.state == State.CLOSED
    assert premises.closed_reason == "厂房已拆除"
    with pytest.raises(SafetyConflict):
        services.premises_edit(actor=people.village_a, premises=premises, data=input_for(tree.grid_a1, name="新名"))
    services.premises_reopen(actor=people.street, premises=premises)
    premises.refresh_from_db()
    assert (premises.state, premises.closed_reason) == (State.OPERATING, "")
