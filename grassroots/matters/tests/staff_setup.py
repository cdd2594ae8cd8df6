"""Helpers for the staff page, API and export tests: matters created through
`matter_create` and moved on through the lifecycle services, so every test
reaches its state the way production does."""

from __future__ import annotations

import importlib
from typing import Any

from grassroots.accounts.roles import Role
from grassroots.matters.models import Category, Channel, Matter
from grassroots.matters.services import lifecycle
from grassroots.matters.services.intake import MatterInput, matter_create, matter_index
from grassroots.regions.models import Node
from grassroots.testing.factories import UserFactory

# Seeded by migration 0002: 乱堆乱放 (3 working days, grid), 楼上漏水 (5, village).
LITTERING = "littering"
LEAKAGE = "leakage"


def seed_categories() -> None:
    """Seed the categories again as migration 0002 does: a transactional
    (browser) test starts after another one's flush has emptied the table."""
    from django.apps import apps

    importlib.import_module("grassroots.matters.migrations.0002_seed_categories").forwards(apps, None)


def category(code: str = LITTERING) -> Category:
    return Category.objects.get(code=code)


def new_matter(node: Node, *, actor: Any = None, **fields: Any) -> Matter:
    data: dict[str, Any] = {
        "node": node,
        "title": "楼道堆放杂物",
        "description": "2号楼楼道里堆满了纸箱和旧家具,影响通行。",
        "channel": Channel.WECHAT,
        "reporter_name": "王小明",
        "reporter_phone": "13912345678",
        "channel_detail": {"group": "西张村邻里群", "sender": "明明", "original": "楼道堆满纸箱了,谁管管?"},
    }
    data.update(fields)
    matter, _created = matter_create(data=MatterInput(**data), actor=actor)
    # Indexing runs after commit, which a test transaction never reaches.
    matter_index(matter)
    return matter


def handler(node: Node, username: str | None = None, role: str = Role.VILLAGE_STAFF) -> Any:
    kwargs: dict[str, Any] = {"role": role, "jurisdiction": node}
    if username:
        kwargs["username"] = username
    return UserFactory(**kwargs)


def accepted(matter: Matter, actor: Any, code: str = LITTERING) -> Matter:
    return lifecycle.matter_accept(actor=actor, matter=matter, category=category(code))


def handling(matter: Matter, actor: Any, assignee: Any = None) -> Matter:
    if matter.state == "reported":
        accepted(matter, actor)
    return lifecycle.matter_assign(actor=actor, matter=matter, assignee=assignee or actor, plan="通知物业三日内清理。")


def resolved(matter: Matter, actor: Any) -> Matter:
    if matter.state != "handling":
        handling(matter, actor)
    return lifecycle.matter_resolve(actor=actor, matter=matter, result="杂物已清理,楼道畅通。")
