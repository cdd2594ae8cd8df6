"""The services of the relocation ledger: stages with their dates and
amounts, the handover to the mediation centre, the audited reveal."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from grassroots.core.errors import DomainError, NotFound, PermissionDenied
from grassroots.core.models import AuditEntry
from grassroots.mediation.models import DisputeCase, DisputeType

from ..models import Unit, UnitEvent
from ..services.personal_data import head_masked, unit_reveal
from ..services.units import StageInput, unit_advance, unit_hand_over
from ..states import Action, State
from .support import ID_NUMBER, PHONE, advance_to, unit_at

pytestmark = pytest.mark.django_db


def _nothing_written(unit: Unit, before: tuple[int, int]) -> None:
    assert (UnitEvent.objects.count(), AuditEntry.objects.count()) == before
    fresh = Unit.objects.get(pk=unit.pk)
    assert fresh.state == unit.state


def test_a_stage_records_its_date_amount_event_and_audit(unit, people):
    day = timezone.localdate() - datetime.timedelta(days=1)
    advance_to(unit, State.ASSESSED, actor=people.worker_a, on=day - datetime.timedelta(days=1))
    unit_advance(
        actor=people.worker_a,
        unit=unit,
        action=Action.SIGN,
        data=StageInput(on=day, amount="1,234,567.80", note="当场签约"),
    )
    unit.refresh_from_db()
    assert unit.state == State.SIGNED
    assert unit.signed_on == day
    assert unit.agreed_amount == Decimal("1234567.80")
    event = unit.events.order_by("-id").first()
    assert event.action == Action.SIGN and event.text == "当场签约" and event.actor == people.worker_a
    assert AuditEntry.objects.filter(action="state.change", object_id=str(unit.pk)).count() == 3


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        ("", "amount_required"),
        ("abc", "amount_invalid"),
        ("-1", "amount_invalid"),
        ("1.234", "amount_invalid"),
        ("1e20", "amount_invalid"),
    ],
)
def test_bad_amount_changes_nothing(unit, people, amount, code):
    advance_to(unit, State.ASSESSED, actor=people.worker_a)
    before = (UnitEvent.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as caught:
        unit_advance(actor=people.worker_a, unit=unit, action=Action.SIGN, data=StageInput(amount=amount))
    assert caught.value.code == code
    _nothing_written(unit, before)


def test_dates_cannot_be_in_the_future_nor_before_the_previous_stage(unit, people):
    today = timezone.localdate()
    unit_advance(actor=people.worker_a, unit=unit, action=Action.CONFIRM, data=StageInput(on=today))
    before = (UnitEvent.objects.count(), AuditEntry.objects.count())
    with pytest.raises(DomainError) as future:
        unit_advance(
            actor=people.worker_a,
            unit=unit,
            action=Action.ASSESS,
            data=StageInput(on=today + datetime.timedelta(days=1), amount="1"),
        )
    assert future.value.code == "date_in_future"
    with pytest.raises(DomainError) as early:
        unit_advance(
            actor=people.worker_a,
            unit=unit,
            action=Action.ASSESS,
            data=StageInput(on=today - datetime.timedelta(days=3), amount="1"),
        )
    assert early.value.code == "date_before_previous"
    _nothing_written(unit, before)


def test_an_amount_on_a_stage_without_one_is_refused(unit, people):
    with pytest.raises(DomainError) as caught:
        unit_advance(actor=people.worker_a, unit=unit, action=Action.CONFIRM, data=StageInput(amount="5"))
    assert caught.value.code == "amount_unexpected"


def test_other_branch_is_404_and_a_grid_worker_403(tree, project, people):
    unit_b = unit_at(project, tree.village_b, "B-1")
    with pytest.raises(NotFound):
        unit_advance(actor=people.worker_a, unit=unit_b, action=Action.CONFIRM, data=StageInput())
    unit_a = unit_at(project, tree.village_a, "A-9")
    with pytest.raises((NotFound, PermissionDenied)):
        unit_advance(actor=people.grid_a, unit=unit_a, action=Action.CONFIRM, data=StageInput())
    assert Unit.objects.filter(state=State.PENDING).count() == 2


def test_handover_registers_a_land_dispute_at_the_centre(unit, people):
    unit_hand_over(actor=people.worker_a, unit=unit, reason="户主对评估面积有异议,多次沟通未果,申请调解。")
    unit.refresh_from_db()
    case = unit.dispute
    assert case is not None and case.dispute_type == DisputeType.LAND
    assert case.path == unit.path
    names = sorted(p.name for p in case.parties.all())
    assert "张三丰" in names and any("征收" in n for n in names)
    assert unit.events.filter(action="handover").exists()
    with pytest.raises(DomainError) as again:
        unit_hand_over(actor=people.worker_a, unit=unit, reason="再次转交调解中心试试看看。")
    assert again.value.code == "already_handed_over"
    assert DisputeCase.objects.count() == 1


def test_handover_needs_a_reason(unit, people):
    with pytest.raises(DomainError) as caught:
        unit_hand_over(actor=people.worker_a, unit=unit, reason="太短")
    assert caught.value.code == "reason_required"
    assert DisputeCase.objects.count() == 0


def test_head_is_encrypted_masked_and_revealed_only_with_audit(unit, people):
    with connection.cursor() as cursor:
        cursor.execute("SELECT head_phone, head_id_number FROM relocation_unit WHERE id = %s", [unit.pk])
        raw = cursor.fetchone()
    assert PHONE not in str(raw) and ID_NUMBER not in str(raw)
    masked = head_masked(unit)
    assert masked == {"name": "张**", "id_number": "110*************2X", "phone": "138****5678"}
    # The assigned worker may reveal (audited); another village's staff may not.
    assert unit_reveal(actor=people.worker_a, unit=unit, reason="电话约谈")["phone"] == PHONE
    with pytest.raises(PermissionDenied):
        unit_reveal(actor=people.office, unit=unit, reason="核对")
    assert unit_reveal(actor=people.security, unit=unit, reason="核对")["id_number"] == ID_NUMBER
    results = list(AuditEntry.objects.filter(action="data.reveal").values_list("result", flat=True))
    assert sorted(results) == ["denied", "success", "success"]


def test_blind_index_finds_a_unit_by_phone(unit):
    index = Unit._meta.get_field("head_phone_index").index_of(PHONE)
    assert Unit.objects.filter(head_phone_index=index).get() == unit
