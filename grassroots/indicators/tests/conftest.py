from __future__ import annotations

import pytest

from ..services.defaults import indicators_seed_defaults
from .support import make_people


@pytest.fixture(autouse=True)
def default_indicators(request):
    """The default definitions (a data migration), also after a transactional test flushed them."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
        indicators_seed_defaults()


@pytest.fixture
def people(tree):
    return make_people(tree)
