from __future__ import annotations

import pytest

from grassroots.accounts.roles import Role

from .support import make_people, make_user, project_at, unit_at


@pytest.fixture
def people(tree):
    return make_people(tree)


@pytest.fixture
def project(tree):
    return project_at(tree.subdistrict)


@pytest.fixture
def unit(tree, project, people):
    return unit_at(project, tree.village_a, worker=people.worker_a)


@pytest.fixture
def rel_worker(tree):
    """A 征迁工作人员 of village a (ADR 0046)."""
    return make_user("rel_only_a", Role.RELOCATION_WORKER, tree.village_a)
