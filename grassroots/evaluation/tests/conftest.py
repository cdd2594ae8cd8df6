"""Fixtures for 评事: a village with two resolved collective matters, six
representatives, and helpers reaching each session state through services."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from grassroots.accounts.roles import Role
from grassroots.evaluation.models import AppraisalSession
from grassroots.evaluation.services import ballots, sessions
from grassroots.matters.models import Channel, Matter
from grassroots.regions.models import Household, Node, Representative, Resident
from grassroots.testing.factories import SmallTree, UserFactory, make_id_number

MONTH = datetime.date(2026, 5, 1)


@dataclass
class World:
    tree: SmallTree
    staff: Any  # village A staff: RUN_APPRAISALS in village A
    street: Any  # subdistrict staff
    other: Any  # village B staff: village A's sessions are 404
    grid: Any  # grid worker: no RUN_APPRAISALS
    handler1: Any
    handler2: Any
    matters: list[Matter]

    def session(self, state: str = "draft", reps: int = 6) -> AppraisalSession:
        return make_session(self, state, reps=reps)


def make_representatives(village: Node, count: int, *, start: int = 0) -> list[Representative]:
    unit = Node.objects.filter(path__startswith=village.path, level=5).order_by("path").first()
    assert unit is not None
    reps = []
    for i in range(start, start + count):
        household = Household.objects.create(unit=unit, room=f"{200 + i}", address=f"{unit.name}{200 + i}室")
        resident = Resident.objects.create(
            household=household,
            name=f"代表{i}",
            gender=Resident.Gender.FEMALE,
            birth_date=datetime.date(1960, 1, 1),
            id_number=make_id_number("370303", datetime.date(1960, 1, 1), 100 + i),
            phone=f"1390000{i:04d}",
        )
        reps.append(Representative.objects.create(resident=resident, village=village, since=datetime.date(2025, 1, 1)))
    return reps


def make_matter(node: Node, n: int, *, assignee: Any, resolved: datetime.datetime, collective: bool = True) -> Matter:
    return Matter.objects.create(
        number=f"M2026{n:05d}",
        tracking_code=f"TC{n:08d}",
        node=node,
        title=f"集体事项{n}",
        description="道路硬化",
        channel=Channel.WALK_IN,
        touches_collective=collective,
        assignee=assignee,
        state="resolved",
        resolved_at=resolved,
    )


def resolved_in_may(day: int) -> datetime.datetime:
    return datetime.datetime(2026, 5, day, 10, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def world(tree: SmallTree) -> World:
    va = tree.village_a
    h1 = UserFactory(username="handler1", role=Role.VILLAGE_STAFF, jurisdiction=va, display_name="王办理")
    h2 = UserFactory(username="handler2", role=Role.VILLAGE_STAFF, jurisdiction=va, display_name="赵办理")
    matters = [
        make_matter(tree.grid_a1, 1, assignee=h1, resolved=resolved_in_may(3)),
        make_matter(tree.grid_a2, 2, assignee=h2, resolved=resolved_in_may(20)),
        make_matter(tree.grid_a1, 3, assignee=h1, resolved=resolved_in_may(21), collective=False),
        make_matter(tree.grid_b1, 4, assignee=h2, resolved=resolved_in_may(22)),  # other village
        make_matter(tree.grid_a1, 5, assignee=h2, resolved=resolved_in_may(1) - datetime.timedelta(days=2)),  # April
    ]
    make_representatives(va, 6)
    return World(
        tree=tree,
        staff=UserFactory(username="vstaff", role=Role.VILLAGE_STAFF, jurisdiction=va, display_name="村干部"),
        street=UserFactory(username="street", role=Role.SUBDISTRICT_STAFF, jurisdiction=tree.subdistrict),
        other=UserFactory(username="bstaff", role=Role.VILLAGE_STAFF, jurisdiction=tree.village_b),
        grid=UserFactory(username="gridder", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1),
        handler1=h1,
        handler2=h2,
        matters=matters,
    )


@dataclass
class Issued:
    session: AppraisalSession
    codes: list[str]


def make_session(w: World, state: str = "draft", *, reps: int = 6) -> AppraisalSession:
    session, _ = sessions.session_create(village=w.tree.village_a, month=MONTH, actor=w.staff)
    if state == "draft":
        return session
    return sessions.session_freeze(session=session, actor=w.staff)


def issue(w: World) -> Issued:
    session = make_session(w, "frozen")
    codes = ballots.slips_issue(session=session, actor=w.staff)
    session.refresh_from_db()
    return Issued(session, codes)


def all_satisfied(session: AppraisalSession, rating: str = "satisfied") -> dict[str, str]:
    return {str(pk): rating for pk in session.items.values_list("pk", flat=True)}


CODE_RE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
