from __future__ import annotations

import pytest

from .support import make_people, project_at, unit_at


@pytest.fixture
def people(tree):
    return make_people(tree)


@pytest.fixture
def project(tree):
    return project_at(tree.subdistrict)


@pytest.fixture
def unit(tree, project, people):
    return unit_at(project, tree.village_a, worker=people.worker_a)
