from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from grassroots.accounts.models import User
from grassroots.accounts.roles import Role
from grassroots.testing.factories import UserFactory


@dataclass
class Workers:
    a: User  # grid worker of 西张村 第1网格
    b: User  # grid worker of 店子社区 第1网格
    village_a: User  # 西张村 staff (handles matters)


@pytest.fixture
def workers(tree, served):
    return Workers(
        a=UserFactory(username="field_a", role=Role.GRID_WORKER, jurisdiction=tree.grid_a1, display_name="王网格"),
        b=UserFactory(username="field_b", role=Role.GRID_WORKER, jurisdiction=tree.grid_b1, display_name="赵网格"),
        village_a=served[0],
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_a(workers):
    return _client(workers.a)


@pytest.fixture
def client_b(workers):
    return _client(workers.b)


@pytest.fixture
def login():
    return _client


@dataclass
class World:
    """Something of each kind a worker records, on both branches."""

    address_a: Any
    address_b: Any
    premises_a: Any
    premises_b: Any
    version: Any


@pytest.fixture
def world(tree, workers):
    import datetime

    from django.utils import timezone

    from grassroots.addresses.models import Kind
    from grassroots.addresses.services.addresses import AddressInput, address_create
    from grassroots.addresses.services.campaigns import campaign_open as addresses_campaign
    from grassroots.core.actors import SYSTEM
    from grassroots.livelihood.models import FlagKind
    from grassroots.livelihood.services.flags import flag_set
    from grassroots.safety.models import PremisesKind, RiskLevel
    from grassroots.safety.services.campaigns import CampaignInput
    from grassroots.safety.services.campaigns import campaign_open as safety_campaign
    from grassroots.safety.services.checklists import checklists_seed_defaults
    from grassroots.safety.services.inspections import versions_applicable
    from grassroots.safety.services.premises import PremisesInput, premises_create

    def room(unit, number):
        data = AddressInput(kind=Kind.ROOM, road="建设路", door_number="18", building="1", unit="1", room=number)
        return address_create(actor=SYSTEM, node=unit, data=data)

    address_a, address_b = room(tree.unit_a1, "101"), room(tree.unit_b1, "101")
    addresses_campaign(actor=SYSTEM, node=tree.subdistrict, title="2026 年标准地址核采")
    checklists_seed_defaults()

    def premises(node, name):
        data = PremisesInput(
            name=name,
            kind=PremisesKind.WAREHOUSE,
            risk_level=RiskLevel.HIGH,
            node=node,
            operator_name="刘经理",
            operator_phone="13800001234",
            location="村东 200 米",
        )
        return premises_create(actor=SYSTEM, data=data)

    premises_a, premises_b = premises(tree.grid_a1, "东风物流仓库"), premises(tree.grid_b1, "店子仓库")
    today = timezone.localdate()
    safety_campaign(
        actor=SYSTEM,
        data=CampaignInput(title="冬季消防检查", node=tree.subdistrict, starts_on=today, due_on=today),
    )
    for resident in (tree.resident_a1, tree.resident_b1):
        flag_set(
            actor=SYSTEM,
            kind=FlagKind.LIVING_ALONE,
            resident=resident,
            source="村委会走访",
            since=today - datetime.timedelta(days=30),
        )
    return World(address_a, address_b, premises_a, premises_b, versions_applicable(premises_a)[0])
