"""Shared setup of the economy tests: the small tree's people, a company
owned by villages, a plan in a given state (also used by the access world)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.core.actors import SYSTEM
from grassroots.deliberation.services import agenda, meetings, resolutions
from grassroots.deliberation.services.resolutions import VoteInput
from grassroots.deliberation.tests.setup import make_representatives, publish_rules
from grassroots.matters.models import ResponsibleUnit, UnitKind
from grassroots.party.models import Branch, BranchKind
from grassroots.party.services.organisation import branch_create
from grassroots.publicity.tests.staff_helpers import _earlier_today
from grassroots.regions.models import Node
from grassroots.testing.factories import SmallTree, UserFactory

from ..models import Company, DistributionPlan
from ..services import distribution, meeting
from ..services.companies import Holding, company_create
from ..states import State

FOUNDED = datetime.date(2024, 1, 1)


@dataclass
class People:
    grid_a: User
    village_a: User
    village_b: User
    street: User
    street_a: User
    window: User


def make_people(tree: SmallTree) -> People:
    def user(name: str, role: str, node: Node) -> User:
        return cast(User, UserFactory(username=name, role=role, jurisdiction=node, display_name=name))

    return People(
        grid_a=user("eco_grid_a", Role.GRID_WORKER, tree.grid_a1),
        village_a=user("eco_village_a", Role.VILLAGE_STAFF, tree.village_a),
        village_b=user("eco_village_b", Role.VILLAGE_STAFF, tree.village_b),
        street=user("eco_street", Role.SUBDISTRICT_STAFF, tree.subdistrict),
        # A subdistrict-staff account placed at village a (another subtree than b's).
        street_a=user("eco_street_a", Role.SUBDISTRICT_STAFF, tree.village_a),
        window=user("eco_window", Role.WINDOW_STAFF, tree.subdistrict),
    )


def company_of(
    node: Node, villages: list[tuple[Node, str]], *, name: str = "山东宏湖控股有限公司", actor: Any = SYSTEM
) -> Company:
    """A company at `node` owned by `villages` [(village, share percent)]."""
    holdings = [Holding(village=v, share=Decimal(share), contribution=Decimal("1000000.00")) for v, share in villages]
    return company_create(actor=actor, name=name, node=node, founded_on=FOUNDED, holdings=holdings)


def joint_committee(tree: SmallTree, *, name: str = "湖田联村党委") -> Branch:
    """Party's 联村党委 at the subdistrict spanning villages a and b (the one record, ADR 0045)."""
    return branch_create(
        actor=SYSTEM, name=name, kind=BranchKind.JOINT, node=tree.subdistrict, villages=[tree.village_a, tree.village_b]
    )


def company_at(village: Node, *, name: str | None = None) -> Company:
    """A company anchored at one village, which owns all of it (the access world's)."""
    return company_of(village, [(village, "100")], name=name or f"{village.label}集体经济公司")


def plan_in_state(company: Company, state: str, *, year: int = 2025, total: str = "100000.00") -> DistributionPlan:
    plan = distribution.plan_create(actor=SYSTEM, company=company, year=year, total=Decimal(total))
    steps = {
        State.SUBMITTED: [State.SUBMITTED],
        State.APPROVED: [State.SUBMITTED, State.APPROVED],
        State.RETURNED: [State.SUBMITTED, State.RETURNED],
        State.PUBLISHED: [State.SUBMITTED, State.APPROVED, State.PUBLISHED],
        State.DISTRIBUTED: [State.SUBMITTED, State.APPROVED, State.PUBLISHED, State.DISTRIBUTED],
    }.get(State(state), [])
    for step in steps:
        if step == State.SUBMITTED:
            plan = meeting.plan_submit(actor=SYSTEM, plan=plan)
        elif step == State.APPROVED:
            plan = distribution.plan_approve(actor=SYSTEM, plan=plan, resolution="村民代表会议表决通过(28/30)")
        elif step == State.RETURNED:
            plan = distribution.plan_return(actor=SYSTEM, plan=plan, reason="提取公积金比例需调整")
        elif step == State.PUBLISHED:
            plan = meeting.plan_publish(actor=SYSTEM, plan=plan)
        else:
            plan = meeting.plan_distribute(actor=SYSTEM, plan=plan)
    plan.refresh_from_db()
    assert plan.state == state
    return plan


def vote(tree: SmallTree, convener: User, plan: DistributionPlan, *, votes_for: int, against: int) -> None:
    """Village a's meeting takes the plan's matter onto its agenda and votes on it (3 present)."""
    reps = make_representatives(tree.village_a, tree.unit_a1, 3, serial_base=700)
    publish_rules(convener, tree.village_a)
    held = meetings.meeting_convene(
        actor=convener,
        node=tree.village_a,
        data=meetings.MeetingInput(
            kind="consultation", title="十二月村民协商议事会", starts_at=_earlier_today(), place="村委会"
        ),
    )
    meetings.meeting_invite(actor=convener, meeting=held, representatives=reps)
    held = meetings.meeting_open(actor=convener, meeting=held)
    for invitation in held.invitations.all():
        meetings.attendance_set(actor=convener, invitation=invitation, present=True)
    assert plan.matter is not None, "the plan is submitted (it has its matter)"
    item = agenda.agenda_add_matter(actor=convener, meeting=held, matter=plan.matter)
    unit, _ = ResponsibleUnit.objects.get_or_create(
        node=tree.village_a, name="西张村村委会", defaults={"kind": UnitKind.VILLAGE}
    )
    resolutions.resolution_record(
        actor=convener,
        item=item,
        data=VoteInput(
            decision="同意按持股比例分配",
            votes_for=votes_for,
            votes_against=against,
            responsible_unit=unit,
            assignee=convener,
            due_date=datetime.date(2026, 12, 31),
        ),
    )
