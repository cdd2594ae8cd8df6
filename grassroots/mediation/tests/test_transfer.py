"""A matter (说事/办事) transferred to the mediation centre."""

from __future__ import annotations

import pytest

from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.matters.models import Matter, MatterEvent
from grassroots.mediation.errors import MediationError
from grassroots.mediation.models import DisputeCase, PartySide, Source
from grassroots.mediation.services.cases import dispute_from_matter
from grassroots.mediation.states import State

pytestmark = pytest.mark.django_db


def make_matter(centre, **fields):
    data = {
        "number": "SX20260105-0001",
        "tracking_code": "ABCDEFGHJK",
        "node": centre.tree.unit_a1,
        "title": "楼上漏水多次协商未果",
        "description": "楼上卫生间漏水三个月,多次协商未果,双方关系紧张。",
        "channel": "walk_in",
        "reporter_resident": centre.tree.resident_a1,
        "reporter_name": centre.tree.resident_a1.name,
        "reporter_phone": "13800000000",
    }
    data.update(fields)
    return Matter.objects.create(**data)


def test_transfer_copies_and_notes_the_matter(centre):
    matter = make_matter(centre)
    case = dispute_from_matter(actor=centre.manager, matter=matter, dispute_type="neighbour")
    assert case.source == Source.MATTER and case.source_matter == matter
    assert case.title == matter.title and case.description == matter.description
    assert case.node == matter.node and case.path == matter.path and case.source_reference == matter.number
    applicant = case.parties.get()
    assert applicant.side == PartySide.APPLICANT and applicant.resident == centre.tree.resident_a1
    assert applicant.phone == "13800000000" and applicant.id_number == centre.tree.resident_a1.id_number
    note = MatterEvent.objects.get(matter=matter, kind="note")
    assert note.text == f"已转一站式矛盾纠纷调解中心,案号 {case.number}" and note.actor == centre.manager
    assert case.state == State.REGISTERED


def test_transfer_is_idempotent(centre):
    matter = make_matter(centre)
    first = dispute_from_matter(actor=centre.manager, matter=matter)
    again = dispute_from_matter(actor=centre.manager, matter=matter)
    assert first.pk == again.pk
    assert DisputeCase.objects.count() == 1
    assert MatterEvent.objects.filter(matter=matter, kind="note").count() == 1


def test_transfer_of_anonymous_matter_has_no_party_and_cannot_be_accepted_yet(centre):
    from grassroots.mediation.services import workflow

    matter = make_matter(centre, anonymous=True, reporter_name="", reporter_resident=None)
    case = dispute_from_matter(actor=centre.manager, matter=matter)
    assert not case.parties.exists()
    with pytest.raises(MediationError):
        workflow.dispute_accept(actor=centre.manager, case=case)


def test_transfer_rules(centre):
    matter = make_matter(centre)
    with pytest.raises(PermissionDenied):
        dispute_from_matter(actor=centre.adviser, matter=matter)
    with pytest.raises(NotFound):
        dispute_from_matter(actor=centre.other_mediator, matter=matter)
    main = make_matter(centre, number="SX20260105-0002", tracking_code="ABCDEFGHJM")
    merged = make_matter(centre, number="SX20260105-0003", tracking_code="ABCDEFGHJN", state="merged", merged_into=main)
    with pytest.raises(MediationError):
        dispute_from_matter(actor=centre.manager, matter=merged)
    assert not DisputeCase.objects.exists()
    assert not MatterEvent.objects.exists()
