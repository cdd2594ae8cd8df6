from __future__ import annotations

import pytest

from grassroots.matters.tests import factories as mf
from grassroots.matters.tests.staff_setup import seed_categories

from .support import make_people, seed_matters, seed_work


@pytest.fixture
def clock(monkeypatch):
    return mf.freeze(monkeypatch)


@pytest.fixture
def people(tree, clock):
    seed_categories()
    return make_people(tree)


@pytest.fixture
def world(tree, people):
    seed_matters(tree, people)
    return seed_work(tree, people)
