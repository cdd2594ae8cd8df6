"""Shared setup of the party tests (also used by the access world): a branch
per village, members, a pair, a training open for sign-in now."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from grassroots.core.actors import SYSTEM
from grassroots.regions.models import Node, Resident

from ..models import Branch, BranchKind, Member, Pair, Training
from ..services.organisation import MemberInput, branch_create, member_add
from ..services.pairs import pair_household
from ..services.training import TrainingInput, training_create


def branch_at(village: Node, name: str = "") -> Branch:
    return branch_create(actor=SYSTEM, name=name or f"{village.label}党支部", kind=BranchKind.BRANCH, node=village)


def member_of(branch: Branch, *, resident: Resident | None = None, user: Any = None, post: str = "none") -> Member:
    return member_add(actor=SYSTEM, branch=branch, data=MemberInput(post=post, resident=resident, user=user))


def pair_of(member: Member, resident: Resident) -> Pair:
    return pair_household(
        actor=SYSTEM,
        member=member,
        household=resident.household,
        difficulty="老人独居,行动不便",
        started_on=datetime.date(2026, 1, 5),
    )


def training_at(node: Node, *, starts_at: datetime.datetime | None = None, hours: str = "2") -> Training:
    return training_create(
        actor=SYSTEM,
        data=TrainingInput(
            title="学习贯彻专题培训",
            audience="all",
            node=node,
            starts_at=starts_at or timezone.now() - datetime.timedelta(minutes=10),
            hours=Decimal(hours),
            location="党群服务中心",
        ),
    )
