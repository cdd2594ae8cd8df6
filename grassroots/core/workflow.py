"""The one workflow engine.

Every workflow of the platform is a `TransitionTable` in its app's
`states.py` (action → (source states, target state), plus the activities a
state permits without changing it) and a `Workflow` that binds the table to a
model and to the app's own Chinese errors. `Workflow.transition` is the only
way any object changes state:

1. the permission check it is given (scope → 404, capability → 403) runs first;
2. the table is checked (409 with the app's message);
3. inside one transaction: an UPDATE conditioned on the state that was read
   (a concurrent change makes it touch no row: `stale` is raised and nothing is
   written; this works on SQLite, where select_for_update does nothing), the
   event row, the caller's `within` step, and the audit row last (the audit
   chain is held until commit);
4. side effects (`after_commit`) are scheduled with `transaction.on_commit`.

The object passed in is brought up to date and returned (or the instance
`reload` gives, when the caller needs related rows loaded).
`grassroots.testing.workflow.check_transition_table` checks every allowed and
every forbidden pair of a table against a real object."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.utils import timezone

from .actors import user_or_none
from .audit import Action as AuditAction
from .audit import audit_record

M = TypeVar("M", bound=models.Model)
E = TypeVar("E")

__all__ = ["TransitionTable", "Workflow", "event_row"]


class TransitionTable:
    """`transitions[action] = (source states, target state)`; `activities[name]
    = states` in which an action that keeps the state (a note, an extension,
    an upload) is allowed."""

    def __init__(
        self,
        transitions: Mapping[str, tuple[Iterable[str], str]],
        *,
        activities: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.transitions: dict[str, tuple[frozenset[str], str]] = {
            str(action): (frozenset(str(s) for s in sources), str(target))
            for action, (sources, target) in transitions.items()
        }
        self.activities: dict[str, frozenset[str]] = {
            str(name): frozenset(str(s) for s in states) for name, states in (activities or {}).items()
        }

    def allowed(self, action: str, state: str) -> bool:
        sources, _target = self.transitions[str(action)]
        return str(state) in sources

    def target(self, action: str) -> str:
        return self.transitions[str(action)][1]

    def activity_allowed(self, activity: str, state: str) -> bool:
        return str(state) in self.activities[str(activity)]

    def actions_from(self, state: str) -> list[str]:
        """The actions the table allows in `state`, in declaration order."""
        return [action for action, (sources, _t) in self.transitions.items() if str(state) in sources]

    @property
    def actions(self) -> list[str]:
        return list(self.transitions)


@dataclass(frozen=True)
class Workflow(Generic[M]):
    """A table bound to a model and to the app's errors.

    `not_allowed(action, state)` and `stale()` build the app's own domain
    errors (its wording); `event(obj, source, target)` appends the app's event
    row; `audit_detail(obj)` adds app fields (a number) to the audit detail."""

    model: type[M]
    table: TransitionTable
    not_allowed: Callable[[str, str], Exception]
    stale: Callable[[], Exception]
    state_field: str = "state"
    timestamp_field: str | None = "updated_at"
    audit_detail: Callable[[M], Mapping[str, Any]] | None = field(default=None)

    def allowed(self, action: str, state: str) -> bool:
        return self.table.allowed(action, state)

    def target(self, action: str) -> str:
        return self.table.target(action)

    def check(self, action: str, obj: M) -> None:
        """Raise the app's 409 unless the table allows `action` now."""
        state = getattr(obj, self.state_field)
        if not self.table.allowed(action, state):
            raise self.not_allowed(str(action), str(state))

    def check_activity(self, activity: str, obj: M) -> None:
        state = getattr(obj, self.state_field)
        if not self.table.activity_allowed(activity, state):
            raise self.not_allowed(str(activity), str(state))

    def transition(
        self,
        obj: M,
        *,
        action: str,
        actor: Any,
        permission: Callable[[], None] | None = None,
        updates: Mapping[str, Any] | None = None,
        event: Callable[[M, str, str], E] | None = None,
        within: Callable[[M, E | None], None] | None = None,
        audit_extra: Mapping[str, Any] | None = None,
        audit_action: str = AuditAction.STATE_CHANGE,
        audit_ip: str | None = None,
        request: Any = None,
        reload: Callable[[Any], M] | None = None,
        after_commit: Callable[[], None] | None = None,
    ) -> M:
        """Move `obj` by `action`. On any error nothing is written."""
        if permission is not None:
            permission()
        self.check(action, obj)
        source = str(getattr(obj, self.state_field))
        target = self.table.target(action)
        values: dict[str, Any] = {self.state_field: target}
        if self.timestamp_field:
            values[self.timestamp_field] = timezone.now()
        values.update(updates or {})
        manager = self.model._default_manager
        with transaction.atomic():
            if manager.filter(pk=obj.pk, **{self.state_field: source}).update(**values) != 1:
                raise self.stale()
            if reload is not None:
                fresh = reload(obj.pk)
            else:
                fresh = obj
                for name, value in values.items():
                    setattr(fresh, name, value)
            written = event(fresh, source, target) if event is not None else None
            if within is not None:
                within(fresh, written)
            detail: dict[str, Any] = dict(self.audit_detail(fresh)) if self.audit_detail else {}
            detail.update({"action": str(action), "from": source, "to": target})
            detail.update(audit_extra or {})
            audit_record(
                action=audit_action, actor=user_or_none(actor), request=request, obj=fresh, detail=detail, ip=audit_ip
            )
            if after_commit is not None:
                transaction.on_commit(after_commit)
        if fresh is not obj:
            obj.refresh_from_db()
        return obj if reload is not None else fresh


def event_row(
    model: type[models.Model],
    subject: str,
    *,
    action: str,
    actor: Any,
    text: str = "",
    data: Mapping[str, Any] | None = None,
    more: Callable[[Any], Mapping[str, Any]] | None = None,
) -> Callable[[Any, str, str], models.Model]:
    """The usual `event` of `Workflow.transition`: one row of the app's event
    `model` whose foreign key `subject` points at the moved object, with the
    action, both states, the acting user (none for the system) and `text`;
    `data` when the model keeps it, `more(fresh)` for the app's own columns."""

    def write(fresh: Any, source: str, target: str) -> models.Model:
        values: dict[str, Any] = {
            subject: fresh,
            "action": action,
            "from_state": source,
            "to_state": target,
            "actor": user_or_none(actor),
            "text": text,
        }
        if data is not None:
            values["data"] = data
        values.update(more(fresh) if more is not None else {})
        return model._default_manager.create(**values)

    return write
