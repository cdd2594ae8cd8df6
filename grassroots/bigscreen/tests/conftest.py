from __future__ import annotations

import pytest

from .support import make_people


@pytest.fixture
def people(tree):
    return make_people(tree)
