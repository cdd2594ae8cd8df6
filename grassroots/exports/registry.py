"""The export kinds: each app registers its downloads here (in its
`AppConfig.ready`), so that one gate decides for all of them whether a file
goes straight to the user or needs the security administrator's approval
(ADR 0060). A kind turns a query string into stored parameters (`parse`),
counts the rows a user would get (`count`) and builds the table from stored
parameters for a user (`build`): an approved request is built later, from
what was stored, for its requester, inside the requester's jurisdiction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from grassroots.core.errors import NotFound


@dataclass(frozen=True)
class Table:
    filename: str
    sheet_title: str
    headers: list[str]
    rows: Iterable[Sequence[Any]]
    object_type: str = ""
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportKind:
    key: str
    label: str
    # Every capability listed is needed to export (besides EXPORT_DATA).
    capabilities: tuple[str, ...]
    parse: Callable[[Mapping[str, str], Any], dict[str, Any]]
    count: Callable[[Any, Mapping[str, Any]], int]
    build: Callable[[Any, Mapping[str, Any]], Table]
    # The page the user returns to (a URL name without arguments).
    back_url: str = ""
    # A kind that can be exported with full ID and phone numbers reads
    # params["unmasked"]; the others refuse it.
    can_unmask: bool = False


_KINDS: dict[str, ExportKind] = {}


def register_export(kind: ExportKind) -> None:
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"export kind {kind.key!r} registered twice")
    _KINDS[kind.key] = kind


def export_kind(key: str) -> ExportKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise NotFound("没有这种导出。") from None


def export_kinds() -> list[ExportKind]:
    return [_KINDS[key] for key in sorted(_KINDS)]


def kind_label(key: str) -> str:
    kind = _KINDS.get(key)
    return kind.label if kind else key
