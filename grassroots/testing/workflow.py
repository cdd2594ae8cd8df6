"""The shared check of a workflow table (core/workflow.py): every app's
`tests/test_states.py` declares the pairs it expects and runs every
(action, state) pair through its services with these helpers.

An allowed pair must move the object to the table's target and leave a
`state.change` audit row naming both states; a forbidden pair must raise the
app's 409 (`transition_not_allowed`) and change nothing the snapshot sees."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.db import models

from grassroots.core.errors import DomainError
from grassroots.core.models import AuditEntry
from grassroots.core.workflow import TransitionTable


def all_pairs(actions: Iterable[Any], states: Iterable[Any]) -> list[tuple[str, str]]:
    return [(str(a), str(s)) for a, s in itertools.product(list(actions), list(states))]


def pair_ids(pairs: Iterable[tuple[str, str]]) -> list[str]:
    return [f"{action}-{state}" for action, state in pairs]


def assert_table(
    table: TransitionTable, *, actions: Iterable[Any], states: Iterable[Any], expected: set[tuple[Any, Any]]
) -> None:
    """The table holds exactly the declared actions and allows exactly the
    expected pairs (a change to states.py must change the test too)."""
    action_values = {str(a) for a in actions}
    assert set(table.actions) == action_values, "every action of the enum is in the table, and only those"
    state_values = {str(s) for s in states}
    for sources, target in table.transitions.values():
        assert sources <= state_values and target in state_values
    allowed = {(a, s) for a, s in all_pairs(actions, states) if table.allowed(a, s)}
    assert allowed == {(str(a), str(s)) for a, s in expected}


def check_pair(
    table: TransitionTable,
    *,
    action: str,
    state: str,
    obj: models.Model,
    perform: Callable[[], Any],
    snapshot: Callable[[], Any],
    state_field: str = "state",
    expected: str | None = None,
    code: str | None = "transition_not_allowed",
) -> None:
    """Run one pair. `perform` calls the service with valid input; `snapshot`
    reads everything a refused call must leave alone (the row, event and audit
    counts, notifications)."""
    if table.allowed(action, state):
        audit_before = AuditEntry.objects.count()
        perform()
        target = expected or table.target(action)
        row = type(obj)._default_manager.get(pk=obj.pk)
        assert getattr(row, state_field) == target
        entry = (
            AuditEntry.objects.filter(action="state.change", object_type=obj._meta.label, object_id=str(obj.pk))
            .order_by("-id")
            .first()
        )
        assert entry is not None and AuditEntry.objects.count() > audit_before
        assert (entry.detail["from"], entry.detail["to"]) == (state, target)
    else:
        before = snapshot()
        with pytest.raises(DomainError) as excinfo:
            perform()
        if code is not None:  # None: any 409 (a service may refuse on its own rule first)
            assert excinfo.value.code == code
        assert excinfo.value.status == 409
        assert snapshot() == before
