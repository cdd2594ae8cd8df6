"""One handler per item type. A handler turns a validated body into the
owning app's record by calling that app's services (never writing its models),
raises `SyncConflict` when the world changed since the worker saw it, and
takes the worker's chosen option when a conflict is resolved (ADR 0054)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from grassroots.accounts.models import User


@dataclass(frozen=True)
class Record:
    type: str
    id: int
    label: str
    url: str

    @classmethod
    def of(cls, type_: str, pk: int, label: str, url_name: str) -> Record:
        return cls(type=type_, id=pk, label=label[:200], url=reverse(url_name, args=[pk]))


@dataclass(frozen=True)
class Context:
    actor: User
    key: str
    created_at: datetime.datetime


# (context, validated body, option or None) → the record made, or None when nothing was.
Handler = Callable[[Context, dict[str, Any], "str | None"], "Record | None"]
HANDLERS: dict[str, Handler] = {}


def handler(item_type: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        HANDLERS[item_type] = function
        return function

    return register
