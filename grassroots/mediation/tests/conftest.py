"""Fixtures for the mediation tests: a small tree with a centre (committee,
mediators, legal advisers, a grid adviser) and cases reached through the
services in any state."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.mediation.models import (
    Committee,
    DisputeCase,
    DisputeType,
    FollowUpMethod,
    GridAdviser,
    Outcome,
    PartyKind,
    PartySide,
    Performance,
    Referral,
    Source,
)
from grassroots.mediation.services import cases, teams, workflow
from grassroots.mediation.states import State
from grassroots.testing.factories import SmallTree, UserFactory, make_id_number

RESPONDENT_ID = make_id_number("370303", datetime.date(1980, 5, 6), 21)


@dataclass
class Centre:
    tree: SmallTree
    manager: Any  # subdistrict staff: MANAGE_MEDIATION + MEDIATE + REVEAL
    mediator: Any  # mediator at the subdistrict
    mediator2: Any
    adviser: Any  # legal adviser at the subdistrict, serves grid a1
    adviser2: Any
    other_mediator: Any  # mediator of village B: cases in village A are 404 for them
    outsider: Any  # window staff: no mediation capability
    grid_worker: Any
    committee: Committee
    grid_adviser: GridAdviser

    def case(self, state: str = State.REGISTERED, **kwargs: Any) -> DisputeCase:
        return make_case(self, state, **kwargs)


def build_centre(tree: SmallTree) -> Centre:
    make = UserFactory
    centre = Centre(
        tree=tree,
        manager=make(
            username="street", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict, display_name="张街道"
        ),
        mediator=make(username="mediator", role=Role.MEDIATOR, jurisdiction=tree.subdistrict, display_name="刘调解"),
        mediator2=make(username="mediator2", role=Role.MEDIATOR, jurisdiction=tree.subdistrict, display_name="王调解"),
        adviser=make(username="lawyer", role=Role.LEGAL_ADVISER, jurisdiction=tree.subdistrict, display_name="陈律师"),
        adviser2=make(
            username="lawyer2", role=Role.LEGAL_ADVISER, jurisdiction=tree.subdistrict, display_name="李律师"
        ),
        other_mediator=make(
            username="mediator_b", role=Role.MEDIATOR, jurisdiction=tree.village_b, display_name="赵调解"
        ),
        outsider=make(username="window", role=Role.WINDOW_STAFF, jurisdiction=tree.subdistrict),
        grid_worker=make(username="grid", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1),
        committee=Committee.objects.create(name="湖田街道人民调解委员会", node=tree.subdistrict),
        grid_adviser=GridAdviser(),
    )
    centre.grid_adviser = GridAdviser.objects.create(
        grid=tree.grid_a1, adviser=centre.adviser, since=timezone.localdate() - datetime.timedelta(days=30)
    )
    return centre


@pytest.fixture
def centre(tree: SmallTree) -> Centre:
    return build_centre(tree)


def case_input(centre: Centre, **overrides: Any) -> cases.CaseInput:
    data = {
        "source": Source.POLICE,
        "source_reference": "张公湖田警移〔2026〕017号",
        "title": "楼上漏水殃及楼下",
        "description": "楼上卫生间渗漏至楼下顶棚,双方争执后报警。",
        "dispute_type": DisputeType.NEIGHBOUR,
        "node": centre.tree.unit_a1,
        "amount": "3000",
        "parties": [
            cases.PartyInput(side=PartySide.APPLICANT, name="", resident=centre.tree.resident_a1),
            cases.PartyInput(
                side=PartySide.RESPONDENT,
                name="王五",
                kind=PartyKind.PERSON,
                id_number=RESPONDENT_ID,
                phone="13912345678",
                address="1号楼201室",
            ),
        ],
    }
    data.update(overrides)
    return cases.CaseInput(**data)  # type: ignore[arg-type]


def make_case(centre: Centre, state: str = State.REGISTERED, **overrides: Any) -> DisputeCase:
    """A case in `state`, reached through the services (the team is assigned at acceptance)."""
    case = cases.dispute_register(actor=centre.manager, data=case_input(centre, **overrides))
    if state == State.REGISTERED:
        return case
    if state == State.DECLINED:
        return workflow.dispute_decline(actor=centre.manager, case=case, reason="已起诉", referral=Referral.COURT)
    workflow.dispute_accept(actor=centre.manager, case=case)
    teams.dispute_assign_team(
        actor=centre.manager,
        case=case,
        committee=centre.committee,
        legal_adviser=centre.adviser,
        mediators=[centre.mediator, centre.mediator2],
    )
    if state == State.ACCEPTED:
        return case
    workflow.dispute_start(actor=centre.mediator, case=case)
    if state == State.MEDIATING:
        return case
    if state == State.FAILED:
        workflow.dispute_fail(actor=centre.mediator, case=case, reason="差距过大", referral=Referral.COURT)
        return case
    workflow.dispute_agree(
        actor=centre.mediator,
        case=case,
        facts="楼上渗漏至楼下,双方争执。",
        terms="一、王五赔偿维修费 2000 元;二、双方再无争议。",
        performance_method="银行转账",
        performance_deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    if state == State.AGREED:
        return case
    follow_up(centre, case)
    if state == State.FOLLOWING_UP:
        return case
    assert state == State.CLOSED
    return workflow.dispute_close(actor=centre.manager, case=case, summary="协议已履行,结案。")


def follow_up(centre: Centre, case: DisputeCase) -> Any:
    performance = Performance.PERFORMED if case.outcome == Outcome.AGREED else Performance.NOT_APPLICABLE
    return workflow.dispute_follow_up(
        actor=centre.mediator,
        case=case,
        visited_on=timezone.localdate(),
        method=FollowUpMethod.PHONE,
        performance=performance,
        note="已按协议履行。",
    )
