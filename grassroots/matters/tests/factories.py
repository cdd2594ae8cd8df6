"""Deterministic helpers for matter tests: a frozen clock, categories, staff,
and matters in every state, reached through the services (never by setting
`state` directly). Other test modules may import these."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.regions.models import Node
from grassroots.testing.factories import SmallTree, UserFactory

from ..models import Category, Channel, Matter, UnitKind
from ..services import lifecycle
from ..services.intake import MatterInput, matter_create
from ..states import State

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday in a year chinese_calendar covers, far from holidays.
FROZEN = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)
PHONE = "13800138000"
OTHER_PHONE = "13900139000"


class Clock:
    """Replaces `django.utils.timezone.now` (and so `localdate`, auto_now
    fields and the audit log's clock) with a settable time."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now

    def __call__(self) -> datetime.datetime:
        return self.now

    def set(self, when: datetime.datetime) -> None:
        self.now = when

    def at(self, day: datetime.date, hour: int = 10) -> None:
        self.now = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)

    def advance(self, **delta: float) -> None:
        self.now = self.now + datetime.timedelta(**delta)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)


def freeze(monkeypatch: Any, when: datetime.datetime = FROZEN) -> Clock:
    clock = Clock(when)
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def category(
    *,
    code: str = "test-lights",
    name: str = "楼道照明",
    deadline_days: int = 5,
    unit_kind: str = UnitKind.VILLAGE,
    department_code: str = "",
    parent: Category | None = None,
    active: bool = True,
) -> Category:
    """A category with a known deadline (the seeded ones may change)."""
    row, _ = Category.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "deadline_days": deadline_days,
            "unit_kind": unit_kind,
            "department_code": department_code,
            "parent": parent,
            "active": active,
        },
    )
    return row


@dataclass
class Staff:
    grid_a1: User  # grid worker of 西张村 第1网格
    grid_b1: User  # grid worker of 店子社区 第1网格
    village_a: User  # 西张村 staff
    village_b: User  # 店子社区 staff
    street: User  # subdistrict staff
    mediator: User  # a role that cannot see matters


def make_staff(tree: SmallTree) -> Staff:
    def user(username: str, role: str, node: Node, name: str) -> User:
        made = cast(User, UserFactory(username=username, role=role, jurisdiction=node, display_name=name))
        return made

    return Staff(
        grid_a1=user("grid_a1", Role.GRID_WORKER, tree.grid_a1, "王网格"),
        grid_b1=user("grid_b1", Role.GRID_WORKER, tree.grid_b1, "周网格"),
        village_a=user("village_a", Role.VILLAGE_STAFF, tree.village_a, "李村务"),
        village_b=user("village_b", Role.VILLAGE_STAFF, tree.village_b, "赵社区"),
        street=user("street", Role.SUBDISTRICT_STAFF, tree.subdistrict, "张街道"),
        mediator=user("mediator", Role.MEDIATOR, tree.subdistrict, "刘调解"),
    )


def report(
    *,
    node: Node,
    title: str = "3号楼楼道灯坏了好几天",
    description: str = "1单元楼道感应灯坏了好几天,晚上老人上下楼看不见。",
    phone: str = PHONE,
    channel: str = Channel.WEB,
    actor: Any = None,
    **extra: Any,
) -> Matter:
    matter, _ = matter_create(
        data=MatterInput(
            node=node,
            title=title,
            description=description,
            channel=channel,
            reporter_name="王女士",
            reporter_phone=phone,
            **extra,
        ),
        actor=actor,
    )
    return matter


def matter_in_state(
    state: str,
    *,
    node: Node,
    handler: Any,
    assignee: Any = None,
    cat: Category | None = None,
    into: Matter | None = None,
    via_handling: bool = False,
    **report_kwargs: Any,
) -> Matter:
    """A matter brought to `state` through the services by `handler` (a
    HANDLE_MATTERS user whose subtree holds `node`). A deliberating matter
    comes from accepted, or from handling (with its assignee) `via_handling`."""
    matter = report(node=node, **report_kwargs)
    if state == State.REPORTED:
        return matter
    if state == State.REJECTED:
        return lifecycle.matter_reject(actor=handler, matter=matter, reason="不属于本平台受理范围。")
    if state == State.MERGED:
        survivor = into or report(node=node, title="楼道灯不亮", phone=OTHER_PHONE)
        return lifecycle.matter_merge(actor=handler, matter=matter, into=survivor)
    lifecycle.matter_accept(actor=handler, matter=matter, category=cat or category())
    if state == State.ACCEPTED:
        return matter
    if state == State.DELIBERATING and not via_handling:
        return lifecycle.matter_deliberation_start(actor=handler, matter=matter)
    lifecycle.matter_assign(actor=handler, matter=matter, assignee=assignee or handler, plan="更换楼道感应灯。")
    if state == State.DELIBERATING:
        return lifecycle.matter_deliberation_start(actor=handler, matter=matter)
    if state == State.HANDLING:
        return matter
    lifecycle.matter_resolve(actor=handler, matter=matter, result="已更换 1 单元楼道感应灯,照明恢复。")
    if state == State.RESOLVED:
        return matter
    lifecycle.matter_close(actor=handler, matter=matter)
    if state == State.CLOSED:
        return matter
    raise ValueError(f"unknown state {state}")
