"""The monthly briefing's further sections (issue 16 item 4, ADR 0049): the
indicator ledger sits low in the layers and cannot read matters, mediation,
safety or relocation, so apps above it register a section builder here (at
start-up, in their AppConfig.ready) and the briefing renders what they
return after the indicator table. A section is plain data: a heading, a
sentence and labelled lines."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from grassroots.regions.models import Node


@dataclass(frozen=True)
class BriefingLine:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class BriefingSection:
    title: str
    sentence: str
    lines: list[BriefingLine] = field(default_factory=list)


SectionBuilder = Callable[..., BriefingSection | None]
_BUILDERS: dict[str, SectionBuilder] = {}


def briefing_section_register(*, key: str, builder: SectionBuilder) -> None:
    """Register (or replace) the builder `key`: called as builder(node=, month=)."""
    _BUILDERS[key] = builder


def briefing_sections(*, node: Node, month: datetime.date) -> list[BriefingSection]:
    """Every registered section for `node`'s month, in registration order."""
    sections = []
    for builder in _BUILDERS.values():
        section = builder(node=node, month=month)
        if section is not None:
            sections.append(section)
    return sections
