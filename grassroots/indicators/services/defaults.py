"""The default indicator definitions (migration 0002), seeded again after a
transactional test flushed them; idempotent."""

from __future__ import annotations

from ..definitions import DEFAULTS
from ..models import Indicator


def indicators_seed_defaults() -> int:
    """Create the missing default definitions; the number created."""
    created = 0
    for name, unit, scope, kind, department, order in DEFAULTS:
        _row, new = Indicator.objects.get_or_create(
            name=name, defaults={"unit": unit, "scope": scope, "kind": kind, "department": department, "order": order}
        )
        created += int(new)
    return created
