"""A resident's 安全隐患 matter becomes a hazard lead, and a serious hazard
opens a matter (services; ADR 0039): what is written, what the matter is
told at each step of the loop, idempotence, and every refusal writing
nothing."""

from __future__ import annotations

import pytest

from grassroots.addresses.tests.support import jpeg
from grassroots.core.actors import SYSTEM
from grassroots.core.errors import NotFound, PermissionDenied
from grassroots.core.linked import linked_for_public, linked_for_staff
from grassroots.matters.models import Channel, EventKind, Matter, MatterEvent, State, Urgency
from grassroots.matters.services import lifecycle
from grassroots.matters.tests.factories import category

from ..errors import SafetyConflict, SafetyError
from ..models import Hazard, HazardEvent, HazardLevel, HazardSource, Premises, PremisesKind
from ..services import hazards
from ..services.links import hazard_from_matter, hazard_open_matter, lead_allowed
from ..states import HazardState
from .support import input_for, inspect, premises_at, raised_hazard
from .support_links import lead, major_hazard, resident_matter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("served")]


def _told(matter: Matter) -> list[str]:
    return list(matter.events.filter(kind=EventKind.LINKED, public=True).order_by("id").values_list("text", flat=True))


def test_lead_at_an_existing_premises(tree, people):
    matter = resident_matter(tree.grid_a1)
    warehouse = premises_at(tree.grid_a1)
    assert lead_allowed(matter)
    hazard = hazard_from_matter(actor=people.grid_a, matter=matter, data=lead(warehouse))
    assert hazard.source == HazardSource.MATTER and hazard.matter_id == matter.pk
    assert hazard.inspection_id is None and hazard.item_id is None and hazard.premises_id == warehouse.pk
    assert hazard.state == HazardState.FOUND and hazard.created_by == people.grid_a
    assert HazardEvent.objects.filter(hazard=hazard, action="lead").count() == 1
    assert _told(matter) == ["您反映的安全隐患已转安全检查人员核查跟进。"]
    assert not lead_allowed(matter)
    with pytest.raises(SafetyConflict):
        hazard_from_matter(actor=people.grid_a, matter=matter, data=lead(warehouse))
    assert Hazard.objects.count() == 1


def test_lead_registers_a_premises_at_the_matter_place(tree, people):
    matter = resident_matter(tree.unit_a1)
    new = input_for(tree.grid_a1, name="3号楼楼道", kind=PremisesKind.COURTYARD, operator_name="物业李经理")
    hazard = hazard_from_matter(actor=people.grid_a, matter=matter, data=lead(None, new_premises=new))
    premises = Premises.objects.get(name="3号楼楼道")
    assert hazard.premises_id == premises.pk and premises.node_id == tree.grid_a1.pk


@pytest.mark.parametrize(
    "case",
    ["not_safety", "resolved", "other_village", "both", "neither", "other_subtree", "wrong_role", "blank", "level"],
)
def test_refusals_write_nothing(tree, people, case):
    matter = resident_matter(tree.grid_a1)
    warehouse = premises_at(tree.grid_a1)
    actor = people.grid_a
    data = lead(warehouse)
    expected: type[Exception] = SafetyError
    if case == "not_safety":
        matter = resident_matter(tree.grid_a1, cat=category())
    elif case == "resolved":
        lifecycle.matter_reject(actor=people.village_a, matter=matter, reason="重复反映。")
        expected = SafetyConflict
    elif case == "other_village":
        actor, data = people.street, lead(premises_at(tree.grid_b1))
    elif case == "both":
        data = lead(warehouse, new_premises=input_for(tree.grid_a1))
    elif case == "neither":
        data = lead(None)
    elif case == "other_subtree":
        actor, expected = people.grid_b, NotFound
    elif case == "wrong_role":
        actor, expected = people.window, PermissionDenied
    elif case == "blank":
        data = lead(warehouse, description="  ")
    elif case == "level":
        data = lead(warehouse, level="fatal")
    events, places = MatterEvent.objects.count(), Premises.objects.count()
    with pytest.raises(expected):
        hazard_from_matter(actor=actor, matter=matter, data=data)
    assert Hazard.objects.count() == 0 and MatterEvent.objects.count() == events
    assert Premises.objects.count() == places


def test_a_role_without_inspection_is_refused(tree, people, make_user):
    from grassroots.accounts.roles import Role

    matter = resident_matter(tree.grid_a1)
    mediator = make_user(Role.MEDIATOR, tree.subdistrict)
    with pytest.raises(PermissionDenied):
        hazard_from_matter(actor=mediator, matter=matter, data=lead(premises_at(tree.grid_a1)))
    assert Hazard.objects.count() == 0


def test_the_matter_is_told_each_step_and_not_resolved(tree, people):
    matter = resident_matter(tree.grid_a1)
    hazard = hazard_from_matter(actor=people.grid_a, matter=matter, data=lead(premises_at(tree.grid_a1)))
    assert linked_for_public(matter) == ["安全隐患整改进展:已转安全检查核查,待下达整改通知"]
    hazard = hazards.hazard_issue_notice(actor=people.grid_a, hazard=hazard, days=5)
    hazard = hazards.hazard_rectify(actor=people.grid_a, hazard=hazard, evidence=jpeg(), note="已清理")
    hazard = hazards.hazard_reinspect(actor=people.grid_a, hazard=hazard, passed=True)
    assert _told(matter)[1:] == [
        "已向责任方下达整改通知,责令限期整改。",
        "责任方已报告整改,等待复查。",
        "经复查,隐患已整改到位,已销号。",
    ]
    assert linked_for_public(matter) == ["安全隐患整改进展:已整改到位并销号"]
    matter.refresh_from_db()
    assert matter.state == State.REPORTED  # the handler resolves it, with a result the resident rates
    items, actions = linked_for_staff(matter, people.grid_a)
    assert [item.state for item in items] == ["已整改到位并销号"] and items[0].url.endswith(f"/{hazard.pk}/")
    assert actions == []
    # Someone who may not see hazards sees the item without its link.
    from grassroots.accounts.roles import Role
    from grassroots.testing.factories import UserFactory

    window = UserFactory(username="win", role=Role.WINDOW_STAFF, jurisdiction=tree.subdistrict)
    assert linked_for_staff(matter, window)[0][0].url == ""


def test_a_referral_is_told(tree, people):
    matter = resident_matter(tree.grid_a1)
    hazard = hazard_from_matter(actor=people.village_a, matter=matter, data=lead(premises_at(tree.grid_a1)))
    hazard = hazards.hazard_issue_notice(actor=people.village_a, hazard=hazard, days=3)
    hazards.hazard_refer(actor=people.village_a, hazard=hazard, record="移交区应急管理局")
    assert _told(matter)[-1] == "隐患已移交执法部门依法处理。"
    assert "移交区应急管理局" not in " ".join(_told(matter))  # the record stays internal


def test_a_major_hazard_opens_one_matter(tree, people):
    warehouse = premises_at(tree.grid_a1)
    hazard = major_hazard(warehouse, actor=people.grid_a)
    before = Matter.objects.count()
    matter, created = hazard_open_matter(actor=people.grid_a, hazard=hazard)
    assert created and Matter.objects.count() == before + 1
    assert matter.channel == Channel.LINKED and matter.urgency == Urgency.URGENT
    assert (
        matter.category is not None
        and matter.category.code == "hazardous-storage"
        and matter.node_id == warehouse.node_id
    )
    assert matter.created_by == people.grid_a and matter.reporter_name == "" and not matter.public_consent
    hazard.refresh_from_db()
    assert hazard.matter_id == matter.pk and hazard.source == HazardSource.INSPECTION
    assert HazardEvent.objects.filter(hazard=hazard, action="open_matter").count() == 1
    again, created_again = hazard_open_matter(actor=people.village_a, hazard=Hazard.objects.get(pk=hazard.pk))
    assert again.pk == matter.pk and not created_again and Matter.objects.count() == before + 1
    # Its progress is told on the matter too.
    hazards.hazard_issue_notice(actor=people.grid_a, hazard=Hazard.objects.get(pk=hazard.pk), days=5)
    assert _told(matter)[-1] == "已向责任方下达整改通知,责令限期整改。"


def test_a_lead_already_has_its_matter(tree, people):
    matter = resident_matter(tree.grid_a1)
    hazard = hazard_from_matter(
        actor=people.grid_a, matter=matter, data=lead(premises_at(tree.grid_a1), level=HazardLevel.MAJOR)
    )
    before = Matter.objects.count()
    same, created = hazard_open_matter(actor=people.grid_a, hazard=hazard)
    assert same.pk == matter.pk and not created and Matter.objects.count() == before


def test_open_matter_refusals(tree, people):
    warehouse = premises_at(tree.grid_a1)
    general = raised_hazard(inspect(warehouse, actor=people.grid_a, fail=1))
    before = Matter.objects.count()
    with pytest.raises(SafetyError) as raised:
        hazard_open_matter(actor=people.grid_a, hazard=general)
    assert raised.value.code == "hazard_not_serious"
    major = major_hazard(warehouse, actor=people.grid_a)
    with pytest.raises(NotFound):
        hazard_open_matter(actor=people.grid_b, hazard=major)
    major = hazards.hazard_issue_notice(actor=SYSTEM, hazard=major, days=5)
    major = hazards.hazard_rectify(actor=SYSTEM, hazard=major, evidence=jpeg())
    major = hazards.hazard_reinspect(actor=SYSTEM, hazard=major, passed=True)
    with pytest.raises(SafetyConflict):
        hazard_open_matter(actor=people.grid_a, hazard=major)
    assert Matter.objects.count() == before
