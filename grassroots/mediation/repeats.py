"""Repeat disputes (重复纠纷) flagged on the queue and the case page: other
cases in the user's scope with the same party (ID number or phone through
the blind indexes, or the same normalised name in the same village) or, within
a year, at the same grid, building or unit. Three queries per page of cases."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from grassroots.regions.models import Level

from .models import DisputeCase, Party
from .selectors import VILLAGE_PREFIX, cases_visible_to

REPEAT_WINDOW_DAYS = 365


@dataclass
class RepeatFlags:
    """Why a case looks like a repeat dispute: other cases (in the user's
    scope) with the same party, or at the same grid/building/unit within a year."""

    party_cases: set[str] = field(default_factory=set)
    place_cases: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.party_cases or self.place_cases)

    @property
    def label(self) -> str:
        parts = []
        if self.party_cases:
            parts.append(f"同一当事人另有 {len(self.party_cases)} 件")
        if self.place_cases:
            parts.append(f"同一地点一年内另有 {len(self.place_cases)} 件")
        return ";".join(parts)


def _party_keys(party: Party) -> list[tuple[str, str]]:
    keys = []
    if party.id_number_index:
        keys.append(("id", party.id_number_index))
    if party.phone_index:
        keys.append(("phone", party.phone_index))
    # A name alone identifies a person only within one village.
    keys.append(("name", f"{party.path[:VILLAGE_PREFIX]}|{party.name_key}"))
    return keys


def repeat_flags(*, user: Any, cases: list[DisputeCase]) -> dict[int, RepeatFlags]:
    """Flags for a page of cases in three queries, whatever the page size."""
    flags: dict[int, RepeatFlags] = {c.pk: RepeatFlags() for c in cases}
    if not cases:
        return flags
    visible = cases_visible_to(user=user)
    own = list(
        Party.objects.filter(case__in=[c.pk for c in cases]).only(
            "case_id", "path", "name_key", "id_number_index", "phone_index"
        )
    )
    ids = {p.id_number_index for p in own if p.id_number_index}
    phones = {p.phone_index for p in own if p.phone_index}
    names = {p.name_key for p in own}
    others = (
        Party.objects.filter(case__in=visible)
        .filter(Q(id_number_index__in=ids) | Q(phone_index__in=phones) | Q(name_key__in=names))
        .values_list("case_id", "case__number", "path", "name_key", "id_number_index", "phone_index")
    )
    by_key: dict[tuple[str, str], set[tuple[int, str]]] = defaultdict(set)
    for case_id, number, path, other_name, id_index, phone_index in others:
        if id_index:
            by_key[("id", id_index)].add((case_id, number))
        if phone_index:
            by_key[("phone", phone_index)].add((case_id, number))
        by_key[("name", f"{path[:VILLAGE_PREFIX]}|{other_name}")].add((case_id, number))
    for party in own:
        for key in _party_keys(party):
            flags[party.case_id].party_cases.update(n for cid, n in by_key.get(key, set()) if cid != party.case_id)
    low_nodes = {c.node_id for c in cases if c.node.level >= Level.GRID}
    if low_nodes:
        earliest = min(c.registered_on for c in cases) - datetime.timedelta(days=REPEAT_WINDOW_DAYS)
        nearby = visible.filter(node_id__in=low_nodes, registered_on__gte=earliest).values_list(
            "pk", "number", "node_id", "registered_on"
        )
        for case in cases:
            if case.node_id not in low_nodes:
                continue
            for pk, number, node_id, registered_on in nearby:
                if (
                    node_id == case.node_id
                    and pk != case.pk
                    and abs((registered_on - case.registered_on).days) <= REPEAT_WINDOW_DAYS
                ):
                    flags[case.pk].place_cases.add(number)
    return flags
