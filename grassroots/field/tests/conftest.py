from __future__ import annotations

from dataclasses import dataclass

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
