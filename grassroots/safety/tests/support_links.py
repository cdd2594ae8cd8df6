"""Shared setup of the hazard–matter link tests: a resident's matter in a
安全隐患 category, and a major hazard from an inspection."""

from __future__ import annotations

from typing import Any

from grassroots.core.actors import SYSTEM
from grassroots.matters.models import Category, Channel, Matter
from grassroots.matters.services.intake import MatterInput, matter_create
from grassroots.matters.tests.factories import category
from grassroots.regions.models import Node

from ..models import Hazard, HazardLevel, Premises
from ..services import hazards
from ..services.links import LeadInput
from .support import inspect


def safety_category(code: str = "fire-exit", name: str = "消防通道堵塞") -> Category:
    root = category(code="safety", name="安全隐患", deadline_days=2)
    return category(code=code, name=name, parent=root, deadline_days=1)


def resident_matter(node: Node, *, cat: Category | None = None, **extra: Any) -> Matter:
    """A resident's web report of a blocked fire exit."""
    matter, _created = matter_create(
        data=MatterInput(
            node=node,
            title="仓库门口堆满杂物堵住消防通道",
            description="村东物流仓库门口堆满纸箱,消防车进不来,晚上还有人在里面抽烟。",
            channel=Channel.WEB,
            reporter_name="张阿姨",
            reporter_phone="13900001111",
            category=safety_category() if cat is None else cat,
            **extra,
        )
    )
    return matter


def lead(premises: Premises | None, **changes: Any) -> LeadInput:
    values: dict[str, Any] = {"description": "仓库门口堆物堵塞消防通道", "premises": premises}
    values.update(changes)
    return LeadInput(**values)


def major_hazard(premises: Premises, *, actor: Any = SYSTEM) -> Hazard:
    inspection = inspect(premises, actor=actor, fail=1)
    item_id = inspection.answers.filter(result="fail").get().item_id
    return hazards.hazard_raise(actor=actor, inspection=inspection, item_id=item_id, level=HazardLevel.MAJOR)
