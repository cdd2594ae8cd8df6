"""Shared builders for the deliberation tests: representatives, published
rules and meetings reached through the services."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from grassroots.regions.models import Household, Node, Representative, Resident
from grassroots.testing.factories import make_id_number

from ..models import Meeting, RuleSet
from ..rules import Proposers, Threshold, VoteMethod
from ..services import meetings
from ..services.rules import RuleInput, ruleset_create

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"


def make_representatives(village: Node, unit: Node, count: int, *, serial_base: int = 100) -> list[Representative]:
    household = Household.objects.create(unit=Node.objects.get(pk=unit.pk), room=f"{serial_base}", address="代表户")
    reps = []
    for i in range(count):
        birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=i)
        resident = Resident.objects.create(
            household=household,
            name=f"{SURNAMES[i % len(SURNAMES)]}代表{i + 1}",
            gender=Resident.Gender.FEMALE,
            birth_date=birth,
            id_number=make_id_number("370303", birth, serial_base + i),
            phone=f"1390000{serial_base + i:04d}",
        )
        reps.append(Representative.objects.create(resident=resident, village=village, since=datetime.date(2024, 1, 1)))
    return reps


def publish_rules(
    actor: Any,
    node: Node,
    *,
    threshold: str = Threshold.MAJORITY_PRESENT,
    vote_method: str = VoteMethod.HANDS,
    quorum: tuple[int, int] = (2, 3),
    proposers: str = Proposers.RESIDENTS,
) -> RuleSet:
    return ruleset_create(
        actor=actor,
        node=node,
        data=RuleInput(
            title=f"{node.label}村民协商议事规则",
            proposers=proposers,
            quorum_numerator=quorum[0],
            quorum_denominator=quorum[1],
            threshold=threshold,
            vote_method=vote_method,
            effective_from=datetime.date(2026, 1, 1),
        ),
        publish=True,
    )


def convene(actor: Any, village: Node, **kwargs: Any) -> Meeting:
    return meetings.meeting_convene(
        actor=actor,
        node=village,
        data=meetings.MeetingInput(
            kind=kwargs.get("kind", "consultation"),
            title=kwargs.get("title", "十二月协商议事会"),
            starts_at=kwargs.get("starts_at", timezone.now() + datetime.timedelta(days=1)),
            place="村委会议室",
        ),
    )
